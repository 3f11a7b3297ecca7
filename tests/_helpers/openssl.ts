// RSA key pairs made by the real openssl, and a runner for the decrypt command with the real sh,
// for the get_secret_encrypted tests. Not a test file itself.

export interface KeyPair {
  dir: string;
  privateKey: string;
  publicPem: string;
}

async function exec(cmd: string, args: string[], cwd?: string) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** A new key pair in a new temp folder: key.pem (private) and its PEM public key. */
export async function keyPair(bits = 2048, pkcs1 = false): Promise<KeyPair> {
  const dir = await Deno.makeTempDir({ prefix: "mcp-rsa-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const privateKey = `${dir}/key.pem`;
  const gen = await exec("openssl", [
    "genpkey",
    "-algorithm",
    "RSA",
    "-pkeyopt",
    `rsa_keygen_bits:${bits}`,
    "-out",
    privateKey,
  ]);
  if (gen.code !== 0) throw new Error(`openssl genpkey failed: ${gen.stderr}`);
  const pub = await exec(
    "openssl",
    pkcs1
      ? ["rsa", "-in", privateKey, "-RSAPublicKey_out"]
      : ["pkey", "-in", privateKey, "-pubout"],
  );
  if (pub.code !== 0) throw new Error(`openssl public key failed: ${pub.stderr}`);
  return { dir, privateKey, publicPem: pub.stdout };
}

/** Runs the snippet with /bin/sh in `cwd`. */
export function runShell(
  command: string,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec("sh", ["-c", command], cwd);
}
