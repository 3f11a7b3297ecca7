// Probes /healthz from its own thread (a Worker), so the load generator's busy event loop in the
// main thread does not count as the server's latency. Started and stopped by budget_load.ts.

/// <reference lib="deno.worker" />

let stopped = false;
const healthzMs: number[] = [];
const failures: string[] = [];

self.onmessage = async (
  e: MessageEvent<{ base: string; everyMs: number; timeoutMs: number } | "stop">,
) => {
  if (e.data === "stop") {
    stopped = true;
    return;
  }
  const { base, everyMs, timeoutMs } = e.data;
  while (!stopped) {
    const t = performance.now();
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (text !== "ok\n") failures.push(`/healthz answered ${res.status} ${text}`);
      else healthzMs.push(performance.now() - t);
    } catch (err) {
      failures.push(`/healthz: ${err instanceof Error ? err.message : err}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  self.postMessage({ healthzMs, failures });
  self.close();
};
