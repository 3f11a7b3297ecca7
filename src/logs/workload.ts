// Logs of every pod behind a label selector, read concurrently with a bound, each stream filtered
// on its own (so memory stays at one capped buffer per stream), then merged by the kubelet's
// timestamps and prefixed with [pod/container]. A stream that fails is reported, not fatal.

import type { KubeClient, KubeObject, LogQuery } from "../kube/types.ts";
import { type ContainerChoice, defaultContainer } from "./default_container.ts";
import { filterLog, type FilterOptions } from "./filter.ts";

/** Streams read at once: enough to hide latency, few enough not to flood the API server. */
export const LOG_CONCURRENCY = 4;

export interface WorkloadQuery {
  namespace: string;
  labelSelector: string;
  /** One container in every pod; omitted: each pod's default container, as kubectl reads. */
  container?: string;
  maxPods: number;
  log: Omit<LogQuery, "namespace" | "name" | "container" | "timestamps">;
  filter: Omit<FilterOptions, "timestamps" | "skip">;
  /** Keep the kubelet's timestamps in the returned lines. */
  timestamps: boolean;
}

export interface StreamFailure {
  pod: string;
  container: string;
  error: string;
}

export interface WorkloadLogs {
  pods: string[];
  /** Without a container asked: the container read in each pod, and its others. */
  defaults: (ContainerChoice & { pod: string })[];
  /** More pods matched than maxPods; they were not read. */
  morePods: boolean;
  lines: string[];
  totalLines: number;
  matchingLines: number;
  droppedForBytes: number;
  failed: StreamFailure[];
}

/** Nanoseconds since the epoch of an RFC 3339 time with up to nine fraction digits, as text. */
export function timeKey(line: string): string {
  const ts = line.slice(0, Math.max(0, line.indexOf(" ")));
  const m = /^(.*?:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return "";
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return "";
  return `${String(ms).padStart(15, "0")}${(m[2] ?? "").padEnd(9, "0")}`;
}

async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

const podName = (pod: KubeObject) => String(pod.metadata?.name ?? "");

const utf8 = (s: string) => new TextEncoder().encode(s).length + 1;

export async function workloadLogs(
  client: KubeClient,
  q: WorkloadQuery,
  describeError: (e: unknown) => string,
  signal?: AbortSignal,
): Promise<WorkloadLogs> {
  const podType = await client.resolve("pods", "v1", signal);
  const list = await client.list({
    resource: podType,
    namespace: q.namespace,
    labelSelector: q.labelSelector,
    limit: q.maxPods,
  }, signal);
  const pods = list.items.slice(0, q.maxPods);
  const defaults = q.container ? [] : pods.flatMap((pod) => {
    const choice = defaultContainer(pod);
    return choice ? [{ pod: podName(pod), ...choice }] : [];
  });
  const streams =
    (q.container
      ? pods.map((pod) => ({ pod: podName(pod), container: q.container! }))
      : defaults.map(({ pod, container }) => ({ pod, container })))
      .map((x, index) => ({ ...x, index }));
  const failed: StreamFailure[] = [];
  const merged: { key: string; s: number; n: number; line: string }[] = [];
  let totalLines = 0;
  let matchingLines = 0;
  let droppedForBytes = 0;
  await pool(streams, LOG_CONCURRENCY, async ({ pod, container, index }) => {
    try {
      const stream = await client.logs({
        ...q.log,
        namespace: q.namespace,
        name: pod,
        container,
        timestamps: true,
      }, signal);
      const r = await filterLog(stream, { ...q.filter, timestamps: true });
      totalLines += r.totalLines;
      matchingLines += r.matchingLines;
      droppedForBytes += r.droppedForBytes;
      const prefix = `[${pod}/${container}] `;
      r.lines.forEach((line, n) => {
        const shown = q.timestamps ? line : line.slice(line.indexOf(" ") + 1);
        merged.push({ key: timeKey(line), s: index, n, line: prefix + shown });
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      failed.push({ pod, container, error: describeError(e) });
    }
  });
  // By time; lines of one instant keep the pod order, then their own order.
  merged.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.s - b.s || a.n - b.n));
  // The newest lines win, as for one pod: first max_lines, then the byte cap.
  let kept = q.filter.maxLines ? merged.slice(-q.filter.maxLines) : merged;
  let bytes = kept.reduce((n, x) => n + utf8(x.line), 0);
  let cut = 0;
  while (bytes > q.filter.maxBytes && cut < kept.length) bytes -= utf8(kept[cut++]!.line);
  droppedForBytes += cut;
  kept = kept.slice(cut);
  return {
    pods: pods.map(podName),
    defaults,
    morePods: !!list.continue || list.items.length > q.maxPods,
    lines: kept.map((x) => x.line),
    totalLines,
    matchingLines,
    droppedForBytes,
    failed: failed.sort((a, b) =>
      `${a.pod}/${a.container}`.localeCompare(`${b.pod}/${b.container}`)
    ),
  };
}
