// Writes the container log files the fake kubelet serves (one "<RFC3339Nano> <text>" per line) and
// the pod index (pods.json) that both the fake kubelet and the fake metrics server read.

import { join } from "node:path";
import { log } from "./log.ts";
import {
  allPods,
  BIGLOG,
  BULK_LOG,
  type ContainerLogs,
  hasMetrics,
  type LogLine,
  LOGS,
  NODES,
  NOMETRICS_PODS,
  type SeedPod,
} from "./seed_data.ts";

export interface PodIndexEntry {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  node: string | null;
  metrics: boolean;
  /** Regular containers (the ones PodMetrics report). */
  containers: string[];
  /** Every container the kubelet knows (init, regular, ephemeral) → its log files. */
  logs: Record<string, { current?: string; previous?: string }>;
}

export interface PodIndex {
  nodes: string[];
  pods: PodIndexEntry[];
}

function render(lines: LogLine[]): string {
  return lines.map((l) => `${l.ts} ${l.text}\n`).join("");
}

async function writeLogs(dir: string, key: string, logs: ContainerLogs) {
  const base = join(dir, key.replaceAll("/", "_"));
  await Deno.writeTextFile(`${base}.log`, render(logs.current));
  const out: { current?: string; previous?: string } = { current: `${base}.log` };
  if (logs.previous) {
    await Deno.writeTextFile(`${base}.previous.log`, render(logs.previous));
    out.previous = `${base}.previous.log`;
  }
  return out;
}

function containerNames(p: SeedPod): string[] {
  return [
    ...(p.initContainers ?? []),
    ...p.containers,
    ...(p.ephemeralContainers ?? []),
  ].map((c) => c.name);
}

/** Writes every log file (except the big one, see ensureBigLog) and the pod index. */
export async function writeLogsAndIndex(
  logDir: string,
  indexFile: string,
  bigLogFile: string,
): Promise<PodIndex> {
  await Deno.remove(logDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(logDir, { recursive: true });
  const files = new Map<string, { current?: string; previous?: string }>();
  for (const [key, logs] of Object.entries(LOGS)) {
    files.set(key, await writeLogs(logDir, key, logs));
  }
  const bulkFile = join(logDir, "bulk.log");
  await Deno.writeTextFile(bulkFile, render(BULK_LOG));
  files.set(`${BIGLOG.namespace}/${BIGLOG.pod}/${BIGLOG.container}`, { current: bigLogFile });

  const pods: PodIndexEntry[] = [...allPods(), ...NOMETRICS_PODS].map((p) => {
    const logs: PodIndexEntry["logs"] = {};
    for (const c of containerNames(p)) {
      const key = `${p.namespace}/${p.name}/${c}`;
      logs[c] = p.namespace === "bulk" ? { current: bulkFile } : (files.get(key) ?? {});
    }
    return {
      namespace: p.namespace,
      name: p.name,
      labels: p.labels,
      node: p.node,
      metrics: hasMetrics(p) && !NOMETRICS_PODS.includes(p),
      containers: p.containers.map((c) => c.name),
      logs,
    };
  });
  const index: PodIndex = { nodes: [...NODES], pods };
  await Deno.writeTextFile(indexFile, JSON.stringify(index));
  return index;
}

// ---------------------------------------------------------------- the big log

/** mulberry32: small, seedable, good enough for test data and test inputs. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  "/api/orders",
  "/api/orders/{id}",
  "/api/inventory",
  "/api/users/{id}",
  "/healthz",
  "/api/cart",
];
const LEVELS = ["INFO ", "INFO ", "INFO ", "INFO ", "DEBUG", "DEBUG", "WARN ", "ERROR"];
const CLASSES = [
  "c.e.orders.OrderController",
  "c.e.inv.InventoryService",
  "c.e.http.AccessLog",
  "c.e.db.Pool",
];

function bigLogTs(i: number): string {
  const ms = BIGLOG.startMs + i * BIGLOG.stepMs;
  const nanos = (i * 7919) % 1_000_000;
  const frac = String((ms % 1000) * 1_000_000 + nanos).padStart(9, "0").replace(/0+$/, "");
  return new Date(ms - (ms % 1000)).toISOString().slice(0, 19) + (frac ? "." + frac : "") + "Z";
}

/** Text of line i (0-based) of the big log. Exported for tests (e.g. the first and last lines). */
export function bigLogLine(i: number, rnd: () => number): string {
  if ((i + 1) % BIGLOG.markerEvery === 0) {
    return `${BIGLOG.marker} [main] c.e.Supervisor - worker pool exhausted, shutting down ` +
      `(line=${i + 1})`;
  }
  const level = LEVELS[Math.floor(rnd() * LEVELS.length)]!;
  const cls = CLASSES[Math.floor(rnd() * CLASSES.length)]!;
  const path = PATHS[Math.floor(rnd() * PATHS.length)]!.replace(
    "{id}",
    String(Math.floor(rnd() * 99999)),
  );
  const status = level === "ERROR" ? 500 : level === "WARN " ? 429 : 200;
  const trace = Math.floor(rnd() * 0xffffffff).toString(16).padStart(8, "0");
  return `${level} [http-nio-8080-exec-${1 + Math.floor(rnd() * 32)}] ${cls} - GET ${path} ` +
    `status=${status} duration=${1 + Math.floor(rnd() * 900)}ms user=u-${
      Math.floor(rnd() * 5000)
    } ` +
    `trace=${trace}${trace}`;
}

/** Generates the big log once into `file` (temp file + rename); reuses it if present and big enough. */
export async function ensureBigLog(file: string): Promise<void> {
  try {
    if ((await Deno.stat(file)).size >= BIGLOG.minBytes) return;
  } catch {
    // not there yet
  }
  const started = performance.now();
  const tmp = `${file}.tmp-${Deno.pid}`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  const rnd = mulberry32(20260110);
  const chunk: string[] = [];
  let bytes = 0;
  for (let i = 0; i < BIGLOG.lines; i++) {
    chunk.push(`${bigLogTs(i)} ${bigLogLine(i, rnd)}\n`);
    if (chunk.length === 20_000 || i === BIGLOG.lines - 1) {
      const data = enc.encode(chunk.join(""));
      bytes += data.length;
      let off = 0;
      while (off < data.length) off += await f.write(data.subarray(off));
      chunk.length = 0;
    }
  }
  f.close();
  if (bytes < BIGLOG.minBytes) throw new Error(`big log too small: ${bytes} bytes`);
  await Deno.rename(tmp, file);
  log(
    `generated ${file} (${(bytes / 1048576).toFixed(0)} MiB) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

export function bigLogFileName(keepDir: string): string {
  return join(keepDir, `biglog-v${BIGLOG.version}.log`);
}
