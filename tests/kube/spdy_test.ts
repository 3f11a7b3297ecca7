// The SPDY session's framing and its backpressure, against a scripted peer (the real peer,
// spdystream behind a real API server and kubelet, is exercised by
// tests/integration/port_forward_test.ts).

import assert from "node:assert/strict";
import { type ByteConn, SpdySession } from "../../src/kube/spdy.ts";

function dataFrame(id: number, payload: Uint8Array, fin = false): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, id);
  v.setUint32(4, ((fin ? 1 : 0) << 24) | payload.length);
  out.set(payload, 8);
  return out;
}

/** A peer that hands out `frames` one per pull, and records what the session wrote. */
function peer(frames: Uint8Array[]): ByteConn & { pulled: () => number; written: Uint8Array[] } {
  let next = 0;
  const written: Uint8Array[] = [];
  return {
    readable: new ReadableStream<Uint8Array>({
      pull(c) {
        if (next < frames.length) c.enqueue(frames[next++]!);
      },
    }, { highWaterMark: 0 }),
    writable: new WritableStream({ write: (chunk) => void written.push(chunk) }),
    close() {},
    pulled: () => next,
    written,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

Deno.test("SpdySession: SYN_STREAM frames carry a zlib stream of stored blocks", async () => {
  const conn = peer([]);
  const s = new SpdySession(conn);
  s.openStream({ streamtype: "error", port: "80", requestid: "0" });
  s.openStream({ streamtype: "data", port: "80", requestid: "0" });
  await tick();
  const [a, b] = conn.written;
  const head = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset);
  // Control bit, version 3, type 1 (SYN_STREAM); stream ids 1 and 3.
  assert.equal(head(a!).getUint32(0), 0x80030001);
  assert.equal(head(a!).getUint32(8), 1);
  assert.equal(head(b!).getUint32(8), 3);
  // The first header block opens the zlib stream (CMF 0x78, FDICT, the dictionary's id) ...
  assert.equal(a![18], 0x78);
  assert.equal((a![19]! & 0x20) !== 0, true);
  assert.equal(((a![18]! << 8) | a![19]!) % 31, 0);
  assert.equal(head(a!).getUint32(20), 0xe3c6a7c2);
  // ... the next goes on with a stored block, and each ends with the sync-flush marker.
  assert.equal(b![18], 0x00);
  for (const f of [a!, b!]) assert.deepEqual([...f.slice(-5)], [0, 0, 0, 0xff, 0xff]);
  // The header names and values travel uncompressed inside the stored block.
  assert.ok(new TextDecoder().decode(b).includes("streamtype\0\0\0\x04data"));
  await s.close();
});

Deno.test("SpdySession: a slow reader stops the session reading (bounded memory)", async () => {
  const chunk = new Uint8Array(256 * 1024);
  const frames = Array.from({ length: 12 }, (_, i) => dataFrame(1, chunk, i === 11));
  const conn = peer(frames);
  const s = new SpdySession(conn);
  const stream = s.openStream({ streamtype: "data", port: "80", requestid: "0" });
  await tick();
  // 1 MiB may wait for the reader: four frames, then the session stops pulling.
  assert.ok(conn.pulled() <= 5, `pulled ${conn.pulled()} frames with nobody reading`);
  let bytes = 0;
  for await (const part of stream.readable) bytes += part.length;
  assert.equal(bytes, 12 * chunk.length);
  assert.equal(conn.pulled(), 12);
  assert.equal(s.bytesIn, 12 * chunk.length);
  await s.close();
});
