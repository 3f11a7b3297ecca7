// The economy bench's shapes: servers, plans, tasks and the results JSON. Types only.

import type { Fact } from "./evidence.ts";

export type ServerId = "ours" | "go" | "containers" | "flux159";
export const SERVER_IDS: readonly ServerId[] = ["ours", "go", "containers", "flux159"];
export const PEERS: readonly ServerId[] = ["go", "containers", "flux159"];

/** What one tool call gave back, as a plan sees it. */
export interface Reply {
  /** false: a tool error (isError) or a JSON-RPC error; its text is still read and paid for. */
  ok: boolean;
  text: string;
}

/** Calls one tool of the server under test. */
export type Call = (tool: string, args: Record<string, unknown>) => Promise<Reply>;

/**
 * A scripted plan: the calls a model that knows the server's tools well makes for one task. It
 * may read an answer and decide its next calls (e.g. get each pod a list named).
 */
export interface Plan {
  /** One line: the calls, e.g. "list pods, then get each". */
  label: string;
  run(call: Call): Promise<void>;
}

export interface Task {
  id: string;
  /** The question a user asks. */
  question: string;
  /** Short name for the table. */
  title: string;
  /** The facts from the seed that answer it. */
  facts: readonly Fact[];
  /** Every object name the facts' subjects stand among (bounds a subject's part of an answer). */
  names?: readonly string[];
  /** Text no answer may contain (the seed's Secret values): counted as leaks, never stored. */
  forbidden?: readonly string[];
  /**
   * Candidate plans per server; the run keeps the best (evidence found, then fewest calls, then
   * fewest tokens). Ours has one: the plan its tool descriptions lead to.
   */
  plans: Record<ServerId, readonly Plan[]>;
}

/** One call as recorded. */
export interface CallRecord {
  tool: string;
  args: Record<string, unknown>;
  ok: boolean;
  bytes: number;
  tokens: number;
  ms: number;
  /** The first characters of an error's text. */
  error?: string;
  /** The whole answer, with --keep-answers (to audit an evidence check). */
  text?: string;
}

export interface PlanRun {
  plan: string;
  calls: CallRecord[];
  found: boolean;
  missing: string[];
  /** Answers that held a forbidden text (a Secret value). */
  leaks: number;
  /** The plan itself failed (e.g. it could not read a name it needed from an answer). */
  error?: string;
}

/** The result of one task on one server: the best of its candidate plans. */
export interface TaskRun {
  task: string;
  server: ServerId;
  plan: string;
  calls: number;
  bytes: number;
  tokens: number;
  found: boolean;
  missing: string[];
  /** Answers that held a Secret value of the seed. */
  leaks: number;
  error?: string;
  records: CallRecord[];
  /** The other candidates, in short. */
  candidates: { plan: string; calls: number; tokens: number; found: boolean }[];
}

export interface ServerInfo {
  id: ServerId;
  /** e.g. "containers/kubernetes-mcp-server 0.0.67". */
  name: string;
  /** The table's column header, e.g. "containers 0.0.67". */
  label: string;
  /** How it ran: its command line, shortened. */
  how: string;
  available: boolean;
  /** Why it did not run. */
  reason?: string;
  /** It started but exited before the last task (those tasks failed). */
  crashed?: string;
  /** tools/list answer: what a client loads into the context once per session. */
  toolsList?: { tools: number; bytes: number; tokens: number };
}

export interface EconomyResults {
  schema: 1;
  startedAt: string;
  durationS: number;
  tokenizer: string;
  /** How ours ran: the bundle or main.ts, and from which checkout. */
  ours: string;
  servers: ServerInfo[];
  /** Set when the test cluster was no longer up at the end: the figures are not valid. */
  clusterLost?: string;
  tasks: { id: string; title: string; question: string }[];
  runs: TaskRun[];
}
