import assert from "node:assert/strict";
import { callError, callJson, connectInMemory, testConfig } from "../_helpers/connect.ts";

Deno.test("encode_base64 and decode_base64 round-trip text, including the empty string", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    for (const data of ["hello", "", "héllo wörld ✓", "line1\nline2"]) {
      const { encoded } = await callJson(client, "encode_base64", { data }) as { encoded: string };
      assert.equal(encoded, btoa(String.fromCharCode(...new TextEncoder().encode(data))));
      if (data === "") continue;
      assert.deepEqual(await callJson(client, "decode_base64", { data: encoded }), {
        decoded: data,
      });
    }
  } finally {
    await close();
  }
});

Deno.test("decode_base64 tolerates whitespace and missing padding", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    for (const data of ["aGVsbG8=", "aGVsbG8", "aGVs\nbG8=\n", "  aG VsbG8 "]) {
      const { decoded } = await callJson(client, "decode_base64", { data }) as { decoded: string };
      assert.equal(decoded, "hello", JSON.stringify(data));
    }
  } finally {
    await close();
  }
});

Deno.test("decode_base64 says why input is invalid", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    const cases: [string, RegExp][] = [
      ["aGV$bG8=", /invalid character "\$" at position 3/],
      ["aGVsbG8-", /URL-safe base64: replace - with \+ and _ with \//],
      ["aGVsbG8=x", /padding may only appear at the end/],
      ["a", /length 1 .* cannot be base64/],
      ["aGVsbA=", /wrong amount of "=" padding/],
    ];
    for (const [data, message] of cases) {
      const err = await callError(client, "decode_base64", { data });
      assert.match(err, /^data is not valid base64: /);
      assert.match(err, message);
    }
  } finally {
    await close();
  }
});

Deno.test("decode_base64 returns bytes that are not UTF-8 as hex, never corrupted", async () => {
  const { client, close } = await connectInMemory(testConfig());
  try {
    const bytes = new Uint8Array([0xff, 0x00, 0xc3, 0x28, 0x41]);
    const data = btoa(String.fromCharCode(...bytes));
    const out = await callJson(client, "decode_base64", { data }) as Record<string, unknown>;
    assert.equal(out.binary, true);
    assert.equal(out.bytes, 5);
    assert.equal(out.decoded_hex, "ff00c32841");
    // The Go server's lossy text stays under `decoded`, so its clients keep working.
    assert.equal(out.decoded, "\ufffd\u0000\ufffd(A");
    assert.equal(out.original, undefined, "the input is not echoed");
    assert.match(String(out.note), /not valid UTF-8/);
  } finally {
    await close();
  }
});
