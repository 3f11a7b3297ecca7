// A seeded, bounded fuzz of every tool over stdio against the test cluster. Arguments come from
// the tools' own input schemas (tools/list), mixed with hostile values. It asserts that the
// process lives on, every call is answered in time, failures are tool errors (a protocol error
// only where the spec asks for one), error texts are short and free of raw control characters,
// and the audit log shows only reads of intended paths.
//
// Replay a failure with FUZZ_SEED=<seed printed on failure>; FUZZ_MS sets the time budget.

import assert from "node:assert/strict";
import { FROM_SOURCE } from "../_helpers/connect.ts";
import { integration, seed } from "../_helpers/testenv.ts";
import { ownReader } from "../_helpers/own_reader.ts";
import { mulberry32 } from "../../scripts/testenv/logs.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? Math.floor(Math.random() * 2 ** 31));
const BUDGET_MS = Number(Deno.env.get("FUZZ_MS") ?? 40_000);
const MAX_CALLS = 1000;
const IN_FLIGHT = 4;
const REQUEST_TIMEOUT_S = 10;
/** Request timeout, the drain of a slow read, and room for a loaded machine. */
const ANSWER_BOUND_MS = (REQUEST_TIMEOUT_S + 20) * 1000;
const MAX_ERROR_CHARS = 4096;

type Schema = {
  type?: string;
  anyOf?: Schema[];
  maxLength?: number;
  minimum?: number;
  default?: unknown;
};
type Tool = {
  name: string;
  inputSchema: { properties: Record<string, Schema>; required?: string[] };
};

/** Values a model might plausibly send: real names of the seeded cluster. */
const PLAUSIBLE = [
  "mcp-test",
  "team-a",
  "default",
  "kube-system",
  seed.POD.web1,
  seed.POD.worker,
  seed.POD.ansi,
  "app",
  "sidecar",
  "pods",
  "po",
  "configmaps",
  "deployments.apps",
  "nodes",
  "services",
  "widgets",
  "v1",
  "apps/v1",
  "reader",
  "reader-alt",
  "viewer",
  "nobody",
  "app=web",
  "status.phase=Running",
  "5m",
  "2026-01-01T00:00:00Z",
  "ERROR",
  "(?i)get",
  "*",
  "aGk=",
  "",
];

/** Hostile values of the issue: long, control characters, surrogates, dot segments, odd types. */
function hostile(pick: <T>(xs: readonly T[]) => T, maxLength = 256): unknown {
  return pick<() => unknown>([
    () => "x".repeat(maxLength + 1),
    () => "y".repeat(100_000),
    () => "a\u0000b",
    () => "\u001b[2J\u001b]0;pwned\u0007",
    () => "\ud800",
    () => "ok\udfff",
    () => "..",
    () => ".",
    () => "../../api/v1/secrets",
    () => "..%2f..",
    () => "%2e%2e",
    () => "a/b",
    () => "constructor",
    () => "__proto__",
    () => null,
    () => [],
    () => ["pods"],
    () => ({ nested: { deeper: [1, { x: "y" }] } }),
    () => -1,
    () => 1e308,
    () => true,
    () => "(.+)+!",
    () => "(a)\\1",
    () => "secrets",
    () => " pods ",
  ])();
}

function valueFor(schema: Schema, r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const options = schema.anyOf ?? [schema];
  const s = pick(options);
  if (r() < 0.25) return hostile(pick, s.maxLength);
  switch (s.type) {
    case "boolean":
      return r() < 0.5;
    case "integer":
    case "number":
      return pick([0, 1, 2, 5, 10, 100, -3, 0.5]);
    default:
      return pick(PLAUSIBLE);
  }
}

function argumentsFor(tool: Tool, r: () => number): unknown {
  if (r() < 0.04) return (["str", [1], null, 7] as const)[Math.floor(r() * 4)];
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(tool.inputSchema.properties)) {
    const required = tool.inputSchema.required?.includes(name);
    if (!required && r() < 0.4) continue;
    if (required && r() < 0.05) continue;
    args[name] = valueFor(schema, r);
  }
  if (r() < 0.1) args["constructor"] = r() < 0.5 ? 1 : { prototype: null };
  if (r() < 0.05) args[`extra_${Math.floor(r() * 10)}`] = "x";
  return args;
}

/** A JSON-RPC peer on the server's stdin/stdout. */
function stdioPeer(child: Deno.ChildProcess) {
  const writer = child.stdin.getWriter();
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  (async () => {
    let rest = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        const m = JSON.parse(line);
        if (m.id !== undefined && !m.method) waiting.get(m.id)?.(m);
      }
    }
  })();
  let next = 0;
  return {
    async request(method: string, params: unknown): Promise<Record<string, unknown>> {
      const id = ++next;
      const answer = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve));
      await writer.write(
        new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n"),
      );
      return answer;
    },
    notify: (method: string) =>
      writer.write(new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", method }) + "\n")),
    close: () => writer.close(),
  };
}

integration("fuzz: schema-driven hostile arguments over stdio", async (env) => {
  const reader = await ownReader(env, "fuzz");
  const mark = await env.auditMark();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...FROM_SOURCE,
      "--kubeconfig",
      reader.kubeconfig,
      "--always-start",
      "--request-timeout",
      `${REQUEST_TIMEOUT_S}s`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const stderrDone = (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) stderr += c;
  })();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const peer = stdioPeer(child);
  const r = mulberry32(SEED);
  const failures: string[] = [];
  let calls = 0;
  const tally = { ok: 0, toolError: 0, protocolError: 0 };
  /** Whether any call named a Secret type: only then may the audit log show a Secret read. */
  let askedForSecrets = false;
  try {
    await peer.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "fuzz", version: "0" },
    });
    await peer.notify("notifications/initialized");
    const listed = await peer.request("tools/list", {}) as { result: { tools: Tool[] } };
    const tools = listed.result.tools;
    // Drawn up front, so that a seed replays the same calls whatever the timing.
    const plan = Array.from({ length: MAX_CALLS }, () => {
      const tool = tools[Math.floor(r() * tools.length)]!;
      return { tool, args: argumentsFor(tool, r) };
    });
    const started = performance.now();
    const worker = async () => {
      while (calls < MAX_CALLS && performance.now() - started < BUDGET_MS && !exited) {
        const n = ++calls;
        const { tool, args } = plan[n - 1]!;
        const shown = JSON.stringify(args)?.slice(0, 200);
        const type = (args as { resource_type?: unknown } | null)?.resource_type;
        // The secret tools read a Secret by design; a type naming Secrets asks for them too.
        if (tool.name.includes("secret")) askedForSecrets = true;
        if (typeof type === "string" && /secret/i.test(type)) askedForSecrets = true;
        const t = performance.now();
        const timer = new Promise<"late">((res) => setTimeout(res, ANSWER_BOUND_MS, "late"));
        const answer = await Promise.race([
          peer.request("tools/call", { name: tool.name, arguments: args }),
          timer,
        ]);
        const ms = performance.now() - t;
        if (answer === "late") {
          failures.push(`#${n} ${tool.name} ${shown}: no answer within ${ANSWER_BOUND_MS} ms`);
          continue;
        }
        const error = answer.error as { code: number; message: string } | undefined;
        const result = answer.result as
          | { isError?: boolean; content: { type: string; text: string }[] }
          | undefined;
        const nonObject = typeof args !== "object" || args === null || Array.isArray(args);
        tally[error ? "protocolError" : result?.isError ? "toolError" : "ok"]++;
        if (error) {
          if (!(error.code === -32602 && nonObject)) {
            failures.push(`#${n} ${tool.name} ${shown}: protocol error ${JSON.stringify(error)}`);
          }
          continue;
        }
        if (nonObject) failures.push(`#${n} ${tool.name} ${shown}: non-object args not -32602`);
        if (result?.isError) {
          const text = result.content.map((c) => c.text).join("\n");
          // deno-lint-ignore no-control-regex
          if (text.length > MAX_ERROR_CHARS || /[\x00-\x09\x0b-\x1f\x7f]/.test(text)) {
            failures.push(
              `#${n} ${tool.name} ${shown}: error text of ${text.length} chars: ` +
                JSON.stringify(text.slice(0, 200)),
            );
          }
          if (/internal error|Cannot read properties|URI malformed/.test(text)) {
            failures.push(`#${n} ${tool.name} ${shown}: internal error: ${text.slice(0, 300)}`);
          }
        }
        if (ms > ANSWER_BOUND_MS) failures.push(`#${n} ${tool.name}: answered after ${ms} ms`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    if (exited) failures.push(`the server exited during the run:\n${stderr.slice(-2000)}`);
  } finally {
    await peer.close().catch(() => {});
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const { code } = await status;
    clearTimeout(killer);
    await stderrDone;
    if (code !== 0) failures.push(`exit code ${code} after the end of input`);
    await reader.cleanup();
  }
  const events = await env.auditEvents(reader.user, {
    since: mark,
    userAgent: "mcp-kubernetes-ro/",
  });
  for (const e of events) {
    const path = e.requestURI.split("?")[0]!;
    if (!["get", "list"].includes(e.verb)) failures.push(`audit: ${e.verb} ${e.requestURI}`);
    if (e.subresource && e.subresource !== "log") failures.push(`audit: subresource ${path}`);
    if (e.resource === "secrets" && !askedForSecrets) {
      failures.push(`audit: a Secret read: ${path}`);
    }
    if (/\/\.\.?(\/|$)|%2f|%2e/i.test(path)) failures.push(`audit: dot segment in ${path}`);
  }
  // deno-lint-ignore no-console
  console.error(
    `fuzz: FUZZ_SEED=${SEED}, ${calls} calls (${tally.ok} ok, ${tally.toolError} tool errors, ` +
      `${tally.protocolError} protocol errors), ${events.length} audited requests`,
  );
  if (failures.length) {
    assert.fail(
      `fuzz failed with FUZZ_SEED=${SEED} (${calls} calls, ${events.length} audited requests):\n` +
        failures.slice(0, 20).join("\n"),
    );
  }
  assert.ok(calls >= 50, `only ${calls} calls in ${BUDGET_MS} ms (FUZZ_SEED=${SEED})`);
  assert.ok(events.length > 0, "the server's requests were audited");
});
