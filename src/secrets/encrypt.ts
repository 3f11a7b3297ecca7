// get_secret_encrypted's cryptography and the shell command that undoes it. RSA-OAEP with SHA-1
// for the hash and MGF1 and an empty label is what `openssl pkeyutl -pkeyopt
// rsa_padding_mode:oaep` decrypts by default, so the user needs nothing but openssl and sh.
// node:crypto parses both PEM forms (SPKI and PKCS#1), which Web Crypto cannot; Web Crypto
// encrypts.

import { createPublicKey } from "node:crypto";
import { KeyError } from "../errors.ts";
import { encodeBase64 } from "../text/base64.ts";

export const MIN_KEY_BITS = 2048;
/** OAEP with SHA-1 takes 2 * 20 + 2 bytes of every block. */
const OAEP_OVERHEAD = 42;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** The first PEM block of `pem`, which must be an RSA public key of at least 2048 bits. */
export async function importPublicKey(pem: string): Promise<{ key: CryptoKey; bytes: number }> {
  const block = PEM_BLOCK.exec(pem);
  if (!block) {
    throw new KeyError(
      "public_key is not a PEM public key: expected a block starting with " +
        "-----BEGIN PUBLIC KEY----- (for example the output of openssl pkey -pubout)",
    );
  }
  const type = block[1]!;
  if (type.includes("PRIVATE")) {
    throw new KeyError(
      `public_key holds a private key (${type}); never send a private key. Send the public ` +
        "key only: openssl pkey -in <private key file> -pubout",
    );
  }
  if (type !== "PUBLIC KEY" && type !== "RSA PUBLIC KEY") {
    throw new KeyError(
      `public_key is a "${type}" block; expected PUBLIC KEY or RSA PUBLIC KEY (an RSA key)`,
    );
  }
  let parsed;
  try {
    parsed = createPublicKey({ key: block[0], format: "pem" });
  } catch (e) {
    throw new KeyError(`public_key cannot be parsed: ${(e as Error).message}`);
  }
  if (parsed.asymmetricKeyType !== "rsa") {
    throw new KeyError(
      `public_key is an ${parsed.asymmetricKeyType ?? "unknown"} key; only RSA keys are ` +
        `supported (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072)`,
    );
  }
  const bits = parsed.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_KEY_BITS) {
    throw new KeyError(
      `public_key is a ${bits}-bit RSA key; at least ${MIN_KEY_BITS} bits are required`,
    );
  }
  const der = parsed.export({ type: "spki", format: "der" });
  const key = await crypto.subtle.importKey(
    "spki",
    new Uint8Array(der),
    { name: "RSA-OAEP", hash: "SHA-1" },
    false,
    ["encrypt"],
  );
  return { key, bytes: Math.ceil(bits / 8) };
}

/** Encrypts `value` in chunks of k−42 bytes; always at least one block. Base64 per block. */
export async function encryptBlocks(
  key: CryptoKey,
  modulusBytes: number,
  value: Uint8Array,
): Promise<string[]> {
  const chunk = modulusBytes - OAEP_OVERHEAD;
  const blocks: string[] = [];
  for (let off = 0; off === 0 || off < value.length; off += chunk) {
    const plain = value.slice(off, off + chunk);
    const cipher = await crypto.subtle.encrypt({ name: "RSA-OAEP" }, key, plain);
    blocks.push(encodeBase64(new Uint8Array(cipher)));
  }
  return blocks;
}

/** A POSIX shell single-quoted word: safe for any byte string, $(...) and quotes included. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const END = "MCP_KUBERNETES_RO_BLOCKS";

/**
 * The snippet the user runs: in a subshell, with set -C (never overwrite) and umask 077 (the
 * output is 0600), it creates the output file new, appends each decrypted block, removes the
 * output on any failure (never a file it did not create), and deletes the private key on success.
 */
export function decryptCommand(
  blocks: readonly string[],
  privateKeyPath: string,
  outputPath: string,
): string {
  return [
    "(",
    "set -C",
    "umask 077",
    `key=${shellQuote(privateKeyPath)}`,
    `out=${shellQuote(outputPath)}`,
    `: > "$out" || exit 1`,
    "while IFS= read -r block; do",
    `  printf '%s\\n' "$block" | openssl base64 -d -A |` +
    ` openssl pkeyutl -decrypt -inkey "$key" -pkeyopt rsa_padding_mode:oaep >> "$out" ||` +
    ` { rm -f -- "$out"; exit 1; }`,
    `done <<'${END}'`,
    ...blocks,
    END,
    `rm -f -- "$key"`,
    ")",
  ].join("\n");
}
