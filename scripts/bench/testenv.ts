// The test control plane as the bench sees it: is it up (`testenv status`), its kubeconfig,
// and where its kube-apiserver binary is (for the version in the machine description).

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { statePaths } from "../testenv/paths.ts";
import { readState } from "../testenv/state.ts";

const TESTENV_MAIN = fileURLToPath(new URL("../testenv/main.ts", import.meta.url));

export interface Testenv {
  kubeconfig: string;
  kubeApiserverBin: string | null;
}

async function runTestenv(command: "status" | "up", timeoutMs: number) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TESTENV_MAIN, command],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Up means `testenv status` exited 0 (running and healthy); otherwise `problem` says why. */
export async function testenvStatus(): Promise<{ up: boolean; problem?: string }> {
  try {
    const r = await runTestenv("status", 60_000);
    if (r.code === 0) return { up: true };
    const what = r.code === 3 ? "not running" : `unhealthy (status exit code ${r.code})`;
    return { up: false, problem: `the testenv is ${what}` };
  } catch (e) {
    return { up: false, problem: `testenv status failed: ${e instanceof Error ? e.message : e}` };
  }
}

async function apiserverBin(): Promise<string | null> {
  const state = await readState(statePaths().stateFile);
  if (!state) return null;
  const bin = join(state.binDir, "kube-apiserver");
  return await Deno.stat(bin).then(() => bin, () => null);
}

/**
 * The running testenv, optionally starting it (`up` is idempotent, bounded to 15 minutes), or
 * the given kubeconfig of a cluster seeded the same way.
 */
export async function useTestenv(start: boolean, kubeconfig?: string): Promise<Testenv> {
  if (kubeconfig) return { kubeconfig, kubeApiserverBin: await apiserverBin() };
  const status = await testenvStatus();
  if (!status.up) {
    if (!start) {
      throw new Error(
        `${status.problem}: run \`deno task testenv up\` first, or pass --testenv-up`,
      );
    }
    const r = await runTestenv("up", 15 * 60_000);
    if (r.code !== 0) throw new Error(`deno task testenv up failed:\n${r.stderr.slice(-4000)}`);
  }
  const state = await readState(statePaths().stateFile);
  if (!state) throw new Error(`no testenv state in ${statePaths().stateFile}`);
  return { kubeconfig: state.kubeconfig, kubeApiserverBin: await apiserverBin() };
}
