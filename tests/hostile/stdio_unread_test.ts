// Issue 23 over stdio: a client that keeps sending calls but stops reading stdout does not grow
// the server without bound. Answers wait for the pipe to drain while holding their call's slot,
// so no more calls start; past a bounded number of waiting calls the server stops reading stdin
// and the client's own writes block. Once the client reads again, every call is answered.

import assert from "node:assert/strict";
import { FROM_SOURCE } from "../_helpers/connect.ts";
import { DEFAULT_BUDGET_BYTES } from "../../src/budget/plan.ts";

const CALLS = 400;
/** Each answer holds the text and its base64 twice (text and structuredContent): ~1 MB. */
const DATA = "x".repeat(256 * 1024);

async function rssKiB(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
}

Deno.test("stdio: a client that stops reading stdout does not grow the server without bound", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...FROM_SOURCE, "--always-start", "--kubeconfig", "/nonexistent/kubeconfig"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const line = (m: unknown) => new TextEncoder().encode(JSON.stringify(m) + "\n");
  try {
    await writer.write(line({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "t", version: "0" },
      },
    }));
    await writer.write(line({ jsonrpc: "2.0", method: "notifications/initialized" }));
    // The initialize answer is read (the server is up); from then on the client reads nothing.
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    while (!buffer.includes("\n")) buffer += (await reader.read()).value ?? "";
    // Writes until the server stops taking them (the pipe fills) or all are sent; bounded.
    let sent = 0;
    const deadline = Date.now() + 20_000;
    while (sent < CALLS && Date.now() < deadline) {
      const wrote = writer.write(line({
        jsonrpc: "2.0",
        id: sent + 1,
        method: "tools/call",
        params: { name: "encode_base64", arguments: { data: DATA } },
      })).then(() => true);
      const blocked = new Promise<false>((r) => setTimeout(() => r(false), 5000));
      if (!(await Promise.race([wrote, blocked]))) {
        sent++; // that write is under way: the server reads it once the client reads again
        break;
      }
      sent++;
    }
    await new Promise((r) => setTimeout(r, 2000));
    const held = await rssKiB(child.pid, "VmRSS");
    assert.ok(sent < CALLS, `the server read all ${CALLS} calls (${sent * 256} KiB) unread`);

    // The client reads again: every call it sent is answered.
    const answered = new Set<number>([0]);
    buffer = buffer.slice(buffer.indexOf("\n") + 1);
    const until = Date.now() + 120_000;
    while (answered.size < sent + 1 && Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const m = JSON.parse(buffer.slice(0, nl)) as {
          id?: number;
          result?: { isError?: boolean };
        };
        buffer = buffer.slice(nl + 1);
        if (typeof m.id === "number") {
          assert.equal(m.result?.isError, undefined, `call ${m.id} failed`);
          answered.add(m.id);
        }
      }
    }
    const peak = await rssKiB(child.pid, "VmHWM");
    // deno-lint-ignore no-console
    console.error(
      `stdio unread: ${sent} calls sent before the server stopped reading; RSS while held ` +
        `${held >> 10} MiB, peak ${peak >> 10} MiB; ${answered.size - 1} answered`,
    );
    assert.equal(answered.size, sent + 1, "every call answered once the client read");
    assert.ok(peak * 1024 < DEFAULT_BUDGET_BYTES, `peak RSS ${peak} KiB`);
    await reader.cancel();
  } finally {
    await writer.close().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch {
      // Gone.
    }
    await child.status;
  }
});
