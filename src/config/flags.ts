// Command-line parsing into a layer of values the user actually gave. No defaults are applied
// here: `undefined` means "not given", so resolveConfig can apply precedence correctly.

import { parseArgs } from "node:util";
import { FLAGS, type FlagSpec } from "./schema.ts";
import { UsageError } from "./errors.ts";

export interface FlagLayer {
  kubeconfig?: string;
  namespace?: string;
  transport?: string;
  port?: string;
  host?: string;
  requestTimeout?: string;
  allowedHosts?: string[];
  disabledTools?: string[];
  disabledResources?: string[];
  alwaysStart?: boolean;
  enablePortForwarding?: boolean;
  portForwardMaxSessions?: string;
  portForwardIdleTimeout?: string;
  auth?: string;
  clientCacheTtl?: string;
  clientCacheSize?: string;
  qps?: string;
  burst?: string;
  maxInFlight?: string;
  memoryBudget?: string;
  maxConcurrentCalls?: string;
  encryptedSecretAccess?: boolean;
  insecureSecretAccess?: boolean;
  printRbac?: boolean;
  rbacNamespace?: string;
  help?: boolean;
  version?: boolean;
}

const BY_NAME = new Map(FLAGS.map((f) => [f.name, f]));

function camel(name: string): keyof FlagLayer {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof FlagLayer;
}

function flagList(): string {
  return FLAGS.map((f) => `--${f.name}`).join(", ");
}

/** Go's flag package accepts `-port 9000`; node's parseArgs would read it as `-p -o -r -t`. */
function normalizeSingleDash(arg: string): string {
  const m = /^-([a-z][a-z-]+)(=.*)?$/.exec(arg);
  return m && BY_NAME.has(m[1]!) ? `-${arg}` : arg;
}

function parseBoolean(spec: FlagSpec, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (["true", "1", "yes"].includes(v)) return true;
  if (["false", "0", "no"].includes(v)) return false;
  throw new UsageError(`flag --${spec.name} takes true or false, got "${value}"`);
}

export function parseFlags(argv: readonly string[]): FlagLayer {
  const options = Object.fromEntries(
    FLAGS.map((f) => [f.name, {
      type: f.kind === "boolean" ? "boolean" as const : "string" as const,
      multiple: f.kind === "list",
      ...(f.name === "help" ? { short: "h" } : {}),
    }]),
  );
  // `deno task start -- --kubeconfig x` passes the "--" through; it separates nothing here.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  const { tokens } = parseArgs({
    args: args.map(normalizeSingleDash),
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const layer: FlagLayer = {};
  const out = layer as Record<string, unknown>;
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      throw new UsageError(`unexpected argument "${token.value}"; flags are ${flagList()}`);
    }
    const spec = BY_NAME.get(token.name);
    if (!spec) {
      throw new UsageError(`unknown flag ${token.rawName}; valid flags are ${flagList()}`);
    }
    const key = camel(spec.name);
    if (spec.kind === "boolean") {
      out[key] = token.value === undefined ? true : parseBoolean(spec, token.value);
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && /^--?[a-z]/.test(value))) {
      throw new UsageError(`flag --${spec.name} needs a value (--${spec.name} ${spec.value})`);
    }
    if (spec.kind === "list") {
      out[key] = [...((out[key] as string[] | undefined) ?? []), value];
    } else {
      out[key] = value;
    }
  }
  return layer;
}
