// state.json: what `up` started (ports, pids, paths), read by `down`, `status` and the test helper.

import type { Ports, Tokens } from "./cluster.ts";
import type { ProcRecord } from "./procs.ts";

export interface State {
  version: 1;
  /** false while `up` is still starting/seeding. */
  ready: boolean;
  startedAt: string;
  stateDir: string;
  binDir: string;
  /** Hash of scripts/testenv/*.ts at `up`. */
  codeKey: string;
  etcdData: string;
  ports: Ports;
  servers: { main: string; nometrics: string };
  kubeconfig: string;
  caCert: string;
  audit: { main: string; nometrics: string };
  tokens: Tokens;
  procs: ProcRecord[];
  timings?: Record<string, number>;
}

export async function readState(file: string): Promise<State | null> {
  try {
    return JSON.parse(await Deno.readTextFile(file)) as State;
  } catch {
    return null;
  }
}

export async function writeState(file: string, state: State): Promise<void> {
  const tmp = `${file}.tmp-${crypto.randomUUID()}`;
  await Deno.writeTextFile(tmp, JSON.stringify(state, null, 2) + "\n");
  await Deno.rename(tmp, file);
}
