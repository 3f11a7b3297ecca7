// The shape of bench/results/*.json: written by main.ts, rendered by report.ts. Types only.

import type { Summary } from "./stats.ts";

export type Side = "ours" | "reference";
export type Unit = "ms" | "calls/s" | "MiB" | "bytes" | "count";

/** One number of one server in one scenario, with its spread when it has one. */
export interface Metric {
  key: string;
  label: string;
  unit: Unit;
  better: "lower" | "higher";
  value: number;
  lo?: number;
  hi?: number;
  /** What lo..hi is. */
  spread?: "min–max" | "p10–p90";
}

export interface SideResult {
  side: Side;
  ok: boolean;
  error?: string;
  metrics: Metric[];
  /** Raw summaries and counts (calls, items, pages, processes measured). */
  details: Record<string, unknown>;
}

export interface ScenarioResult {
  id: string;
  title: string;
  description: string;
  ours: SideResult;
  /** null: no reference binary (see BenchResults.reference.reason). */
  reference: SideResult | null;
}

export interface ReferenceInfo {
  available: boolean;
  module: string;
  version: string;
  bin?: string;
  source?: "env" | "build.sh";
  /** Why it is not available, or what happened on the way. */
  reason?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  deno: string;
  go: string;
  kubeApiserver: string;
  /** 1, 5 and 15 minute load averages when the run started (other work on the machine skews). */
  loadAverage: number[];
  /** The same at the end: higher than at the start means other work competed during the run. */
  loadAverageEnd?: number[];
  date: string;
}

export interface Settings {
  coldStartIterations: number;
  readIterations: number;
  bigListIterations: number;
  logIterations: number;
  metricsWalks: number;
  metricsPageSize: number;
  httpClients: number;
  httpCallsPerClient: number;
  httpTool: string;
  /** Issue 23: connections that ask for a big answer and never read it. */
  idleReaders: number;
  /** Issue 23: clients × calls each, one after another, over plain HTTP. */
  budgetClients: number;
  budgetCallsPerClient: number;
}

export interface BenchResults {
  schema: 1;
  quick: boolean;
  ok: boolean;
  failures: string[];
  startedAt: string;
  durationS: number;
  machine: Machine;
  reference: ReferenceInfo;
  /** How ours ran: "bundle" (as the npm package and image ship it) or "source" (main.ts). */
  ours?: "bundle" | "source";
  settings: Settings;
  scenarios: ScenarioResult[];
}

export type { Summary };
