// Run as its own process by filter_test.ts: pushes N chunks of log lines (each ~1 MB) through
// filterLog and prints the process's peak resident size (VmHWM, kB). A separate process keeps
// the figure free of whatever else the test runner holds.

import { filterLog } from "../../src/logs/filter.ts";

const chunks = Number(Deno.args[0]);
const line = new TextEncoder().encode("2026-01-01T00:00:00Z INFO request served in 3ms\n");
const chunk = new Uint8Array(line.length * 20_000);
for (let i = 0; i < 20_000; i++) chunk.set(line, i * line.length);
let sent = 0;
const stream = new ReadableStream<Uint8Array>({
  pull: (c) => sent++ < chunks ? c.enqueue(chunk) : c.close(),
});
const r = await filterLog(stream, { maxLines: 5, maxBytes: 65536 });
const status = await Deno.readTextFile("/proc/self/status");
const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify({ lines: r.totalLines, hwm })));
