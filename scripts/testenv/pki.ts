// The test PKI, made with openssl: one CA, serving certs (apiserver; fake kubelet + fake metrics
// server), the aggregator's front-proxy client cert, client certs for cert users and the SA key.

import { join } from "node:path";

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  /** Serving cert of the fake kubelet and the fake metrics server. */
  servingCert: string;
  servingKey: string;
  frontProxyCert: string;
  frontProxyKey: string;
  saKey: string;
  saPub: string;
  /** Client certificates by user name. */
  clients: Record<string, { cert: string; key: string }>;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const SERVER_EXT =
  "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth";
const CLIENT_EXT =
  "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth";

async function openssl(args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

function serial(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = b[0]! & 0x7f;
  return "0x" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

async function sign(dir: string, name: string, subject: string, ext: string): Promise<void> {
  const p = (suffix: string) => join(dir, name + suffix);
  await openssl(["req", "-new", ...EC, "-keyout", p(".key"), "-out", p(".csr"), "-subj", subject]);
  await Deno.writeTextFile(p(".ext"), ext + "\n");
  await openssl([
    "x509",
    "-req",
    "-in",
    p(".csr"),
    "-CA",
    join(dir, "ca.crt"),
    "-CAkey",
    join(dir, "ca.key"),
    "-set_serial",
    serial(),
    "-days",
    "3650",
    "-out",
    p(".crt"),
    "-extfile",
    p(".ext"),
  ]);
}

/** Client-cert users: name → organisation (group) of the certificate subject. */
export const CERT_USERS: Record<string, string> = {
  "mcp-admin": "system:masters",
  "mcp-reader": "mcp:readers",
};

export async function makePki(dir: string): Promise<Pki> {
  await Deno.mkdir(dir, { recursive: true });
  await openssl([
    "req",
    "-x509",
    ...EC,
    "-days",
    "3650",
    "-keyout",
    join(dir, "ca.key"),
    "-out",
    join(dir, "ca.crt"),
    "-subj",
    "/CN=mcp-testenv-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ]);
  const apiserverSan = "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes," +
    "DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1";
  const servingSan = "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:metrics-server.kube-system.svc";
  await Promise.all([
    sign(dir, "apiserver", "/CN=kube-apiserver", `${apiserverSan}\n${SERVER_EXT}`),
    sign(dir, "serving", "/CN=fake-kubelet", `${servingSan}\n${SERVER_EXT}`),
    sign(dir, "front-proxy-client", "/CN=front-proxy-client", CLIENT_EXT),
    ...Object.entries(CERT_USERS).map(([user, group]) =>
      sign(dir, user, `/O=${group}/CN=${user}`, CLIENT_EXT)
    ),
    (async () => {
      await openssl([
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        join(dir, "sa.key"),
      ]);
      await openssl(["pkey", "-in", join(dir, "sa.key"), "-pubout", "-out", join(dir, "sa.pub")]);
    })(),
  ]);
  return pkiIn(dir);
}

export function pkiIn(dir: string): Pki {
  const f = (name: string) => join(dir, name);
  return {
    dir,
    caCert: f("ca.crt"),
    caKey: f("ca.key"),
    apiserverCert: f("apiserver.crt"),
    apiserverKey: f("apiserver.key"),
    servingCert: f("serving.crt"),
    servingKey: f("serving.key"),
    frontProxyCert: f("front-proxy-client.crt"),
    frontProxyKey: f("front-proxy-client.key"),
    saKey: f("sa.key"),
    saPub: f("sa.pub"),
    clients: Object.fromEntries(
      Object.keys(CERT_USERS).map((u) => [u, { cert: f(`${u}.crt`), key: f(`${u}.key`) }]),
    ),
  };
}
