// Summarises a V8 .cpuprofile (from `deno run --cpu-prof`, or bench --cpu-prof DIR): the
// functions and the packages with the most self time. The summary is pure; the CLI reads files.
//
//   deno run -R scripts/bench/cpuprofile.ts FILE.cpuprofile [--top 25]

import { parseArgs } from "node:util";
import { log } from "./log.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the non-idle sampled time. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
  /** Time with the package anywhere on the stack (what loading or calling it costs in all). */
  packagesInclusive: SelfTime[];
}

/** "npm:pkg@1.2.3", "src/x.ts" (this repository), or the V8 pseudo-frame as is. */
export function packageOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const npm = /node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url) ??
    /registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\/([^/]+)\//.exec(url);
  if (npm) return `npm:${npm[1]}${npm[2] ? `@${npm[2]}` : ""}`;
  if (url.startsWith("ext:") || url.startsWith("node:")) return url.split("/")[0]!;
  const local = /\/(src|scripts|tests)\/.+$/.exec(url);
  return local ? local[0].slice(1) : url.replace(/^file:\/\//, "");
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?/, "npm:")
    .replace(/^file:\/\/.*?\/(src|scripts|tests)\//, "$1/");
}

function top(map: Map<string, number>, base: number, n: number): SelfTime[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, share: base > 0 ? us / base : 0 }));
}

export function summarizeProfile(p: CpuProfile, n = 25): ProfileSummary {
  const byId = new Map(p.nodes.map((node) => [node.id, node.callFrame]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const f = byId.get(id);
    if (!f) return;
    total += dt;
    if (f.functionName === "(idle)") {
      idle += dt;
      return;
    }
    const name = `${f.functionName || "(anonymous)"} ${
      f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ""
    }`.trim();
    fns.set(name, (fns.get(name) ?? 0) + dt);
    const pkg = packageOf(f.url, f.functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + dt);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (frame.url) onStack.add(packageOf(frame.url, frame.functionName));
    }
    for (const name of onStack) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
  });
  const busy = total - idle;
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    functions: top(fns, busy, n),
    packages: top(pkgs, busy, n),
    packagesInclusive: top(inclusive, busy, n),
  };
}

export function renderSummary(s: ProfileSummary): string {
  const row = (t: SelfTime) =>
    `${t.ms.toFixed(1).padStart(9)} ms ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.name}`;
  return [
    `sampled ${s.totalMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms, ` +
    `busy ${(s.totalMs - s.idleMs).toFixed(0)} ms`,
    "",
    "self time by package / file:",
    ...s.packages.map(row),
    "",
    "time with the package / file on the stack (inclusive):",
    ...s.packagesInclusive.map(row),
    "",
    "self time by function:",
    ...s.functions.map(row),
  ].join("\n");
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { top: { type: "string", default: "25" } },
    allowPositionals: true,
  });
  for (const file of positionals) {
    const profile = JSON.parse(await Deno.readTextFile(file)) as CpuProfile;
    log(`== ${file}\n${renderSummary(summarizeProfile(profile, Number(values.top)))}\n`);
  }
}
