// Fan-out: one call of a per-context tool over several kubeconfig contexts. `fanOut(tool)` wraps a
// tool whose body reads one cluster (through `context`) so that `context` also takes "*" (every
// context of the kubeconfig) or a list of names. A string names one context, as before, and the
// answer is then the tool's own, untouched. With several, each context's body runs as if it had
// been called alone, and the answer groups them: {contexts: [{context, ...its answer} or
// {context, error}], cut?: [names]}.
//
// Bounds: at most MAX_IN_FLIGHT contexts at once; each context gets --request-timeout for its
// whole body (on top of each request's own timeout); a context that fails (unreachable, 401/403,
// timeout, no metrics API, unknown name) is reported in its group and never fails the call; the
// whole answer keeps MAX_RESULT_BYTES, and groups that do not fit are cut and named. The QPS
// limiter is per API server (src/kube/rate_limit.ts), so contexts of one cluster share it.
// Passthrough sends a caller's token to one cluster only, so fan-out there is refused.
//
// Written here rather than in each tool: the four tools keep their single-context bodies, and
// src/tools/registry.ts opts each in with one `fanOut(...)`. It reads only the narrow ToolContext:
// the per-context timeout is a tool setting (`requestTimeoutMs`, filled from --request-timeout
// beside the others), and the passthrough refusal asks the caller's Kube, not the auth mode:
// the mode that pins a caller to one cluster says so on the Kube it hands out
// (`Kube.singleContext`, set in src/auth/passthrough.ts), where that rule is also enforced for a
// single named context. So no auth mode name reaches a tool, and a new mode with the same rule
// needs no change here.

import { type CallToolResult, z } from "../deps.ts";
import { ToolError } from "../errors.ts";
import type { ToolContext, ToolDefinition } from "../mcp/define_tool.ts";
import { errorText } from "../mcp/errors_to_text.ts";
import { ok } from "../mcp/result.ts";
import { MAX_RESULT_BYTES } from "../mcp/server.ts";
import { boundedText, LIMITS, text } from "./_shared.ts";

/** Contexts whose bodies run at once in one call. */
export const MAX_IN_FLIGHT = 4;
/** Names in one list (a "*" is not bounded by it: the kubeconfig is the user's own). */
export const MAX_LISTED = 64;
export const EVERY_CONTEXT = "*";

// In a list, names and the count are checked by refinements, which tools/list does not spell
// out (maxLength and maxItems would cost every session bytes for a bound no one reaches).
const listed = z.array(
  boundedText(
    LIMITS.context,
    `each context name must be valid text of at most ${LIMITS.context} characters`,
  ),
).refine((v) => v.length >= 1 && v.length <= MAX_LISTED, {
  error: `list 1 to ${MAX_LISTED} contexts, or pass "*" for every context`,
});

/** The `context` parameter of a fan-out tool: today's string, "*", or a list of names. */
export const contextsParam = z.union([text(LIMITS.context), listed]).optional()
  .describe('Kubeconfig context; "*" (all) or a list: answer per context');

/** One context's part of a grouped answer. */
export type Group = { context: string; error?: string } & Record<string, unknown>;

/** Which contexts a `context` value names; undefined: one context, the tool's own answer. */
async function namedContexts(
  value: string | string[] | undefined,
  ctx: ToolContext,
): Promise<string[] | undefined> {
  if (value === undefined || (typeof value === "string" && value.trim() !== EVERY_CONTEXT)) {
    return undefined;
  }
  if (ctx.kube.singleContext) {
    throw new ToolError(
      `context "*" or a list is refused: ${ctx.kube.singleContext}; omit context, or pass one ` +
        "name",
    );
  }
  if (typeof value === "string") {
    const all = (await ctx.kube.contexts()).map((c) => c.name);
    if (all.length === 0) throw new ToolError('context "*": the kubeconfig has no contexts');
    return all;
  }
  const names = [...new Set(value.map((v) => v.trim()))];
  if (names.includes(EVERY_CONTEXT)) {
    throw new ToolError('"*" means every context: pass it alone (context: "*"), not in a list');
  }
  if (names.includes("")) throw new ToolError("a context name in the list is empty");
  return names;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a JSON text: exact, as the budget adds them up (UTF-16 length undercounts). */
function bytes(json: string): number {
  return encoder.encode(json).length;
}

const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  const { promise, reject } = Promise.withResolvers<never>();
  if (signal.aborted) reject(signal.reason);
  else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  promise.catch(() => {});
  return promise;
}

/** Runs the tool's body for one context, bounded by --request-timeout; never throws but cancel. */
async function runOne(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  context: string,
  ctx: ToolContext,
): Promise<{ group: Group; json?: string }> {
  const timeoutMs = ctx.requestTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const result: CallToolResult = await Promise.race([
      tool.run({ ...args, context } as never, { ...ctx, signal }),
      rejectOnAbort(signal),
    ]);
    const first = result.content[0];
    const text = first?.type === "text" ? first.text : "";
    if (result.isError || !result.structuredContent) return { group: { context, error: text } };
    return { group: { context, ...result.structuredContent }, json: text };
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    const error = timeout.aborted
      ? `no answer within ${timeoutMs / 1000}s (--request-timeout); the other contexts are ` +
        "unaffected"
      : errorText(tool.name, e);
    return { group: { context, error } };
  }
}

/** The grouped answer for `contexts`, in their order, within MAX_RESULT_BYTES. */
export async function fanOutCall(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  contexts: readonly string[],
  ctx: ToolContext,
  maxBytes: number = MAX_RESULT_BYTES,
): Promise<Record<string, unknown>> {
  const groups: Group[] = new Array(contexts.length);
  const cut: string[] = [];
  // Room kept for the envelope and, per context, its name twice (group and cut list, JSON
  // escaped) and a cut notice.
  let room = maxBytes - 1024 -
    contexts.reduce((n, c) => n + 2 * bytes(JSON.stringify(c)) + 200, 0);
  let next = 0;
  const worker = async () => {
    while (next < contexts.length) {
      const i = next++;
      const context = contexts[i]!;
      const { group, json } = await runOne(tool, args, context, ctx);
      // Counted as they finish, so memory holds at most one answer's worth beyond the cap.
      const size = json === undefined ? bytes(JSON.stringify(group)) : bytes(json);
      if (size <= room) {
        room -= size;
        groups[i] = group;
      } else {
        cut.push(context);
        groups[i] = {
          context,
          error: `cut: this context's answer (${MiB(size)}) did not fit in the ` +
            `${MiB(maxBytes)} answer; ask this context alone, or for less (limit, namespace, ` +
            "label_selector, title_only)",
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_IN_FLIGHT, contexts.length) }, worker));
  return {
    contexts: groups,
    ...(cut.length ? { cut: contexts.filter((c) => cut.includes(c)) } : {}),
  };
}

type Json = Record<string, unknown>;
type Converter = (options: { target: string }) => Json;

/**
 * The tool's output schema, also admitting the grouped answer: a zod object (as every tool's
 * output is) whose fields are the tool's own, made optional, plus `contexts` and `cut`; an answer
 * without `contexts` must still parse as the tool's own. The JSON Schema sent in tools/list is
 * the tool's own with its `required` moved into an anyOf beside `required: ["contexts"]` (MCP
 * wants `type: "object"` at the top, which a union's anyOf lacks).
 */
export function groupedOutput(output: z.ZodObject): z.ZodObject {
  const widened = output.partial().extend({
    contexts: z.array(z.looseObject({ context: z.string() })).optional(),
    cut: z.array(z.string()).optional(),
  }).check((ctx) => {
    if (ctx.value.contexts !== undefined) return;
    const own = output.safeParse(ctx.value);
    for (const issue of own.success ? [] : own.error.issues) {
      ctx.issues.push({
        code: "custom",
        message: issue.message,
        path: issue.path,
        input: ctx.value,
      });
    }
  });
  const std = output["~standard"] as unknown as {
    jsonSchema: { input: Converter; output: Converter };
  };
  const widen = (convert: Converter): Converter => (options) => {
    const { required, properties, ...rest } = convert(options);
    // The grouped fields are not spelled out: the object is open, and the parameter's
    // description names `contexts`; only a `required` list needs the alternative.
    return {
      ...rest,
      ...(properties ? { properties } : {}),
      ...(Array.isArray(required) && required.length
        ? { anyOf: [{ required }, { required: ["contexts"] }] }
        : {}),
    };
  };
  const schema = Object.create(widened) as z.ZodObject;
  Object.defineProperty(schema, "~standard", {
    value: {
      ...widened["~standard"],
      jsonSchema: { input: widen(std.jsonSchema.input), output: widen(std.jsonSchema.output) },
    },
  });
  return schema;
}

/** `tool`, with a `context` that also takes "*" or a list of names. */
export function fanOut<S extends z.ZodRawShape>(tool: ToolDefinition<S>): ToolDefinition {
  const inner = tool as unknown as ToolDefinition;
  return {
    ...inner,
    input: { ...tool.input, context: contextsParam },
    output: groupedOutput(tool.output),
    async run(args, ctx) {
      const value = (args as { context?: string | string[] }).context;
      const contexts = await namedContexts(value, ctx);
      if (!contexts) return inner.run(args, ctx);
      if ((args as { continue?: string }).continue) {
        throw new ToolError(
          "continue pages one context's list: pass that context alone with its token",
        );
      }
      return ok(await fanOutCall(inner, args as Record<string, unknown>, contexts, ctx));
    },
  };
}
