// The fake kubelet: an HTTPS server on 127.0.0.1 that the real kube-apiserver's pods/log proxy
// talks to (Node status.addresses InternalIP 127.0.0.1 + daemonEndpoints.kubeletEndpoint.Port).
// Serves /containerLogs/{ns}/{pod}/{container} from the files listed in the pod index.
// Run as its own process: deno run --allow-read --allow-net kubelet.ts --port P --cert C --key K --index F

import { parseArgs } from "node:util";
import { type LogQuery, parseRfc3339, readLog } from "./log_reader.ts";
import type { PodIndex, PodIndexEntry } from "./logs.ts";

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export function podIndexLoader(file: string): () => Promise<Map<string, PodIndexEntry>> {
  let mtime = -1;
  let pods = new Map<string, PodIndexEntry>();
  return async () => {
    const st = await Deno.stat(file).catch(() => null);
    const m = st?.mtime?.getTime() ?? 0;
    if (st && m !== mtime) {
      const index = JSON.parse(await Deno.readTextFile(file)) as PodIndex;
      pods = new Map(index.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
      mtime = m;
    }
    return pods;
  };
}

function intParam(v: string | null, name: string): number | undefined | Error {
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) return new Error(`invalid ${name}: ${v}`);
  return n;
}

export function kubeletHandler(
  loadPods: () => Promise<Map<string, PodIndexEntry>>,
): (req: Request) => Promise<Response> {
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname === "/healthz") return text(200, "ok");
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!m || req.method !== "GET") return text(404, "404 page not found\n");
    const [ns, podName, container] = m.slice(1).map(decodeURIComponent) as [string, string, string];
    const pod = (await loadPods()).get(`${ns}/${podName}`);
    if (!pod) return text(404, `pod "${podName}" does not exist\n`);
    const files = pod.logs[container];
    if (!files) return text(404, `container "${container}" not found in pod "${podName}"\n`);

    const p = url.searchParams;
    const q: LogQuery = { timestamps: p.get("timestamps") === "true" };
    const tail = intParam(p.get("tailLines"), "tailLines");
    const limit = intParam(p.get("limitBytes"), "limitBytes");
    const sinceSeconds = intParam(p.get("sinceSeconds"), "sinceSeconds");
    for (const v of [tail, limit, sinceSeconds]) {
      if (v instanceof Error) return text(400, v.message);
    }
    if (typeof tail === "number") {
      if (tail < 0) return text(400, "tailLines must be a non-negative integer");
      q.tailLines = tail;
    }
    if (typeof limit === "number") q.limitBytes = limit;
    const sinceTime = p.get("sinceTime");
    if (typeof sinceSeconds === "number") {
      const ms = Date.now() - sinceSeconds * 1000;
      q.since = [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
    } else if (sinceTime) {
      const t = parseRfc3339(sinceTime);
      if (!t) return text(400, `invalid sinceTime: ${sinceTime}`);
      q.since = t;
    }
    const previous = p.get("previous") === "true";
    const path = previous ? files.previous : files.current;
    if (previous && !path) {
      return text(
        400,
        `previous terminated container "${container}" in pod "${podName}" not found`,
      );
    }
    if (!path) return text(200, "");
    const body = await readLog(path, q);
    return new Response(body, { headers: { "content-type": "text/plain" } });
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string" },
      cert: { type: "string" },
      key: { type: "string" },
      index: { type: "string" },
    },
  });
  const handler = kubeletHandler(podIndexLoader(values.index!));
  Deno.serve({
    hostname: "127.0.0.1",
    port: Number(values.port),
    cert: await Deno.readTextFile(values.cert!),
    key: await Deno.readTextFile(values.key!),
    onListen: ({ port }) => {
      // deno-lint-ignore no-console
      console.error(`fake kubelet listening on https://127.0.0.1:${port}`);
    },
  }, handler);
}
