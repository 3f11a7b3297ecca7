import assert from "node:assert/strict";
import {
  hostAllowed,
  isLoopbackName,
  parseAuthority,
  parseOrigin,
} from "../../src/transports/host_check.ts";

const allowed = new Set(["mcp.internal", "box.lan:8443"]);
const host = (v: string) => hostAllowed(parseAuthority(v), allowed);
const origin = (v: string) => hostAllowed(parseOrigin(v), allowed);

Deno.test("Host: loopback literals, localhost and --allowed-hosts pass", () => {
  for (
    const ok of [
      "127.0.0.1",
      "127.0.0.1:8080",
      "127.255.3.4:1",
      "localhost",
      "LOCALHOST:3000",
      "[::1]",
      "[::1]:8080",
      "[0:0:0:0:0:0:0:1]:80",
      "[::ffff:127.0.0.1]",
      "mcp.internal",
      "MCP.internal:9999",
      "box.lan:8443",
    ]
  ) assert.equal(host(ok), true, ok);
});

Deno.test("Host: rebinding names, odd spellings and junk are refused", () => {
  for (
    const bad of [
      "127.0.0.1.evil.com",
      "127.0.0.1.evil.com:8080",
      "127.0.0.1\tevil.com",
      "127.0.0.1 evil.com",
      "127.0.0.1\nevil.com",
      "127.0.0.1\0",
      "evil.com@127.0.0.1",
      "127.0.0.1@evil.com",
      "127.0.0.1/evil",
      "127.evil.com",
      "127.1",
      "0x7f.0.0.1",
      "2130706433",
      "127.0.0.256",
      "128.0.0.1",
      "0.0.0.0",
      "[::2]",
      "[::1].evil.com",
      "[::ffff:8.8.8.8]",
      "localhost.evil.com",
      "evil-localhost",
      "mcp.internal.evil.com",
      "box.lan",
      "box.lan:8444",
      "",
      "127.0.0.1:99999",
      "127.0.0.1:",
      "[::1",
    ]
  ) assert.equal(host(bad), false, JSON.stringify(bad));
});

Deno.test("Origin: http(s) origins of allowed hosts only", () => {
  for (
    const ok of [
      "http://localhost:3000",
      "https://127.0.0.1",
      "http://[::1]:6274",
      "http://mcp.internal",
    ]
  ) assert.equal(origin(ok), true, ok);
  for (
    const bad of [
      "null",
      "http://127.0.0.1.evil.com",
      "http://127.0.0.1\tevil.com",
      "http://evil.com",
      "http://localhost:3000/path",
      "http://evil.com@localhost",
      "file://localhost",
      "javascript://localhost",
      "localhost",
      "http://[::1].evil.com",
      " http://localhost",
    ]
  ) assert.equal(origin(bad), false, bad);
});

Deno.test("isLoopbackName decides the non-loopback --host warning", () => {
  assert.equal(isLoopbackName("127.0.0.1"), true);
  assert.equal(isLoopbackName("::1"), true);
  assert.equal(isLoopbackName("localhost"), true);
  assert.equal(isLoopbackName("0.0.0.0"), false);
  assert.equal(isLoopbackName("127.0.0.1.nip.io"), false);
});
