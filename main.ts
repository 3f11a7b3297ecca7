// Entry point: read argv and env, resolve the configuration, run, exit. Nothing else.
import { helpText } from "./src/config/help.ts";
import { readEnv } from "./src/config/env.ts";
import { UsageError } from "./src/config/errors.ts";
import { parseFlags } from "./src/config/flags.ts";
import { resolveConfig } from "./src/config/resolve.ts";
import { NAME, VERSION } from "./src/version.ts";
import { log, out, warn } from "./src/log.ts";
import { run } from "./src/app.ts";
import { limitForBudget } from "./src/budget/cgroup.ts";

async function main(): Promise<number> {
  let resolved;
  try {
    const flags = parseFlags(Deno.args);
    const env = readEnv((name) => Deno.env.get(name));
    resolved = resolveConfig({
      flags,
      env,
      os: Deno.build.os,
      cgroupMemoryLimit: await limitForBudget(flags, env),
    });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    log(`${NAME}: ${e.message}\nRun ${NAME} --help to see every flag.`);
    return 2;
  }
  if (resolved.action === "help") return out(helpText()), 0;
  if (resolved.action === "version") return out(`${NAME} ${VERSION}`), 0;
  if (resolved.action === "print-rbac") {
    const { rbacYaml } = await import("./src/rbac/print.ts");
    return out(await rbacYaml(resolved.config, resolved.rbac)), 0;
  }
  resolved.warnings.forEach(warn);
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => stop.abort());
  }
  return await run(resolved.config, stop.signal);
}

Deno.exit(await main());
