// get_secret_encrypted's cryptography and decrypt command, checked end to end with the real
// openssl and sh: what the tool returns must decrypt to the exact bytes on a user's machine.

import assert from "node:assert/strict";
import {
  decryptCommand,
  encryptBlocks,
  importPublicKey,
  shellQuote,
} from "../../src/secrets/encrypt.ts";
import { keyPair, runShell } from "../_helpers/openssl.ts";

const pair = await keyPair(2048);
const pkcs1 = await keyPair(3072, true);

async function roundTrip(value: Uint8Array, pem = pair.publicPem, out?: string) {
  const keyCopy = `${pair.dir}/copy-${crypto.randomUUID()}.pem`;
  await Deno.copyFile(pem === pkcs1.publicPem ? pkcs1.privateKey : pair.privateKey, keyCopy);
  const { key, bytes } = await importPublicKey(pem);
  const blocks = await encryptBlocks(key, bytes, value);
  const output = out ?? `${pair.dir}/out-${crypto.randomUUID()}`;
  const result = await runShell(decryptCommand(blocks, keyCopy, output));
  return { blocks, keyCopy, output, result };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("short, multi-block and empty values round-trip byte for byte through openssl", async () => {
  const binary = crypto.getRandomValues(new Uint8Array(1000));
  binary[0] = 0;
  binary[1] = 0xff;
  const cases: [string, Uint8Array, number][] = [
    ["short", new TextEncoder().encode("s3cr3t-ünïcode"), 1],
    ["exactly one block", new Uint8Array(256 - 42).fill(7), 1],
    ["one byte over", new Uint8Array(256 - 42 + 1).fill(9), 2],
    ["multi-block binary", binary, Math.ceil(1000 / 214)],
    ["empty", new Uint8Array(), 1],
  ];
  for (const [name, value, blockCount] of cases) {
    const { blocks, keyCopy, output, result } = await roundTrip(value);
    assert.equal(result.code, 0, `${name}: ${result.stderr}`);
    assert.equal(blocks.length, blockCount, name);
    for (const b of blocks) assert.equal(atob(b).length, 256, `${name}: k bytes per block`);
    assert.deepEqual(await Deno.readFile(output), value, name);
    assert.equal((await Deno.stat(output)).mode! & 0o777, 0o600, `${name}: output is 0600`);
    assert.equal(await exists(keyCopy), false, `${name}: the private key is deleted`);
  }
});

Deno.test("an RSA PUBLIC KEY (PKCS#1) of 3072 bits works too", async () => {
  const value = crypto.getRandomValues(new Uint8Array(700));
  const { blocks, output, result } = await roundTrip(value, pkcs1.publicPem);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(blocks.length, Math.ceil(700 / (384 - 42)));
  assert.deepEqual(await Deno.readFile(output), value);
});

Deno.test("an existing output file is kept and the command fails; the key survives", async () => {
  const output = `${pair.dir}/existing`;
  await Deno.writeTextFile(output, "keep me");
  const { keyCopy, result } = await roundTrip(new TextEncoder().encode("new"), undefined, output);
  assert.notEqual(result.code, 0);
  assert.equal(await Deno.readTextFile(output), "keep me");
  assert.equal(await exists(keyCopy), true, "the key is deleted only on success");
  const link = `${pair.dir}/dangling`;
  await Deno.symlink(`${pair.dir}/nowhere`, link);
  const viaLink = await roundTrip(new TextEncoder().encode("new"), undefined, link);
  assert.notEqual(viaLink.result.code, 0);
  assert.equal(await exists(`${pair.dir}/nowhere`), false, "a dangling link is not followed");
});

Deno.test("a damaged block leaves no output and keeps the key", async () => {
  const { key, bytes } = await importPublicKey(pair.publicPem);
  const value = crypto.getRandomValues(new Uint8Array(500));
  const blocks = await encryptBlocks(key, bytes, value);
  const raw = Uint8Array.from(atob(blocks[1]!), (c) => c.charCodeAt(0));
  raw[100]! ^= 0x55;
  blocks[1] = btoa(String.fromCharCode(...raw));
  const keyCopy = `${pair.dir}/damaged-key.pem`;
  await Deno.copyFile(pair.privateKey, keyCopy);
  const output = `${pair.dir}/damaged-out`;
  const result = await runShell(decryptCommand(blocks, keyCopy, output));
  assert.notEqual(result.code, 0);
  assert.equal(await exists(output), false, "no partial output");
  assert.equal(await exists(keyCopy), true);
});

Deno.test("paths with quotes, spaces, $(...) and backticks are quoted, never run", async () => {
  const dir = `${pair.dir}/it's a $(touch pwned) \`touch pwned2\` dir`;
  await Deno.mkdir(dir);
  const value = new TextEncoder().encode("quoted");
  const { keyCopy, result } = await roundTrip(value, undefined, `${dir}/out'$(id)"x`);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await Deno.readFile(`${dir}/out'$(id)"x`), value);
  assert.equal(await exists(keyCopy), false);
  for (const name of ["pwned", "pwned2"]) {
    assert.equal(await exists(`${pair.dir}/${name}`), false, name);
    assert.equal(await exists(name), false, name);
  }
  assert.equal(shellQuote("a'b"), `'a'\\''b'`);
});

Deno.test("the key checks say what is wrong", async () => {
  const priv = await Deno.readTextFile(pair.privateKey);
  const small = await keyPair(1024).catch(() => undefined);
  const ec = new TextDecoder().decode(
    (await new Deno.Command("sh", {
      args: [
        "-c",
        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkey -pubout",
      ],
      stdout: "piped",
      stderr: "null",
    }).output()).stdout,
  );
  const cases: [string, RegExp][] = [
    ["hello", /not a PEM public key/],
    [priv, /holds a private key \(PRIVATE KEY\); never send a private key/],
    [`${pair.publicPem}\n${priv}`, /^$/],
    [ec, /only RSA keys are supported/],
    ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", /expected PUBLIC KEY/],
    ["-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", /cannot be parsed/],
  ];
  if (small) cases.push([small.publicPem, /1024-bit RSA key; at least 2048 bits/]);
  for (const [pem, message] of cases) {
    const err = await importPublicKey(pem).then(() => "", (e: Error) => e.message);
    assert.match(err, message, pem.slice(0, 40));
  }
});
