// The fan-out wrapper on its own (src/tools/_fan_out.ts), with tool bodies written here: the order
// of groups, the bound of 4 contexts in flight, the per-context timeout, the byte budget counted
// in UTF-8, and cancellation. The same wrapper against the real cluster:
// tests/integration/fan_out_test.ts.

import assert from "node:assert/strict";
import { z } from "../../src/deps.ts";
import { type ToolContext, type ToolDefinition, toolSettings } from "../../src/mcp/define_tool.ts";
import { fanOut, fanOutCall, MAX_IN_FLIGHT } from "../../src/tools/_fan_out.ts";
import { ok } from "../../src/mcp/result.ts";
import type { ContextInfo, Kube } from "../../src/kube/types.ts";
import { testConfig } from "../_helpers/connect.ts";

const NAMES = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

function ctxFor(timeout = "5s", signal = new AbortController().signal): ToolContext {
  const kube: Kube = {
    client: () => Promise.reject(new Error("not used")),
    contexts: () =>
      Promise.resolve(NAMES.map((name): ContextInfo => ({
        name,
        cluster: name,
        user: "u",
        current: name === "a",
      }))),
  };
  return { ...toolSettings(testConfig({ requestTimeout: timeout })), kube, signal };
}

function tool(body: (context: string, signal: AbortSignal) => Promise<Record<string, unknown>>) {
  return {
    name: "t",
    title: "t",
    description: "t",
    input: { context: z.string().optional() },
    output: z.looseObject({ n: z.number() }),
    annotations: {},
    run: async (args: { context?: string }, ctx: ToolContext) =>
      ok(await body(args.context ?? "", ctx.signal)),
  } as unknown as ToolDefinition;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("groups come in the order asked, with at most 4 contexts in flight", async () => {
  let inFlight = 0;
  let most = 0;
  const t = tool(async (context) => {
    most = Math.max(most, ++inFlight);
    await sleep(NAMES.length * 3 - NAMES.indexOf(context) * 3); // later names finish first
    inFlight--;
    return { n: NAMES.indexOf(context) };
  });
  const answer = await fanOutCall(t, {}, NAMES, ctxFor()) as { contexts: { context: string }[] };
  assert.deepEqual(answer.contexts.map((g) => g.context), NAMES);
  assert.deepEqual(answer.contexts.map((g) => (g as { n?: number }).n), NAMES.map((_, i) => i));
  assert.equal(most, MAX_IN_FLIGHT);
});

Deno.test("a context that never answers ends at --request-timeout, alone", async () => {
  const t = tool((context) => context === "b" ? new Promise(() => {}) : Promise.resolve({ n: 1 }));
  const started = performance.now();
  const answer = await fanOutCall(t, {}, ["a", "b", "c"], ctxFor("0.2s")) as {
    contexts: { context: string; error?: string; n?: number }[];
  };
  assert.ok(performance.now() - started < 2000);
  assert.match(answer.contexts[1]!.error!, /no answer within 0.2s \(--request-timeout\)/);
  assert.equal(answer.contexts[0]!.n, 1);
  assert.equal(answer.contexts[2]!.n, 1);
});

Deno.test("the budget counts UTF-8 bytes: the answer never exceeds it, the cut are named", async () => {
  // 100 three-byte characters per context: 300 bytes each, though only 100 UTF-16 units.
  const t = tool(() => Promise.resolve({ n: 1, text: "界".repeat(100) }));
  const max = 1024 + 10 * (2 * 3 + 200) + 1000; // room for three answers of ~320 bytes
  const answer = await fanOutCall(t, {}, NAMES, ctxFor(), max) as {
    contexts: { context: string; error?: string }[];
    cut: string[];
  };
  assert.ok(new TextEncoder().encode(JSON.stringify(answer)).length <= max);
  const kept = answer.contexts.filter((g) => !g.error).length;
  assert.equal(kept, 3);
  assert.equal(answer.cut.length, NAMES.length - 3);
  for (const name of answer.cut) {
    assert.match(answer.contexts.find((g) => g.context === name)!.error!, /^cut: /);
  }
});

Deno.test("a cancelled call stops instead of answering", async () => {
  const stop = new AbortController();
  const t = tool(() => new Promise(() => {}));
  const call = fanOutCall(t, {}, ["a", "b"], ctxFor("5s", stop.signal));
  setTimeout(() => stop.abort(new DOMException("cancelled", "AbortError")), 20);
  await assert.rejects(call, /cancelled/);
});

Deno.test('the wrapped tool: one name is the tool\'s own answer; "*" is every context', async () => {
  const wrapped = fanOut(tool((context) => Promise.resolve({ n: NAMES.indexOf(context) })));
  const one = await wrapped.run({ context: "c" } as never, ctxFor());
  assert.deepEqual(one.structuredContent, { n: 2 });
  const all = await wrapped.run({ context: " * " } as never, ctxFor());
  const groups = (all.structuredContent as { contexts: { context: string }[] }).contexts;
  assert.deepEqual(groups.map((g) => g.context), NAMES);
  // The output schema takes both shapes.
  assert.ok(wrapped.output.safeParse(one.structuredContent).success);
  assert.ok(wrapped.output.safeParse(all.structuredContent).success);
  assert.ok(!wrapped.output.safeParse({ contexts: [{ no: "name" }] }).success);
  assert.ok(!wrapped.output.safeParse({ n: "not a number" }).success, "the tool's own checks");
  assert.ok(!wrapped.output.safeParse({}).success, "the tool's own required fields");
});
