import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok, ToolError } from "../mcp/result.ts";
import { KubeApiError } from "../kube/errors.ts";
import type { KubeClient } from "../kube/types.ts";
import { filterLog } from "../logs/filter.ts";
import { anyOf, splitPatterns } from "../logs/patterns.ts";
import { parseSince } from "../logs/since.ts";
import * as p from "./_shared.ts";

/** The most log text one call returns (about 16k tokens). */
export const MAX_LOG_BYTES = 64 * 1024;

function maxLines(value: number | string | undefined): number | undefined {
  const n = typeof value === "string" ? Number(value.trim()) : value;
  return n && n > 0 ? n : undefined;
}

/**
 * When a pod has several containers the API server answers 400 with their names, init
 * containers mixed in; the pod's spec tells them apart, so the model gets an exact choice.
 */
async function containerChoice(e: unknown, client: KubeClient, namespace: string, pod: string) {
  if (!(e instanceof KubeApiError) || e.status !== 400) return e;
  const listed = /container name must be specified for pod \S+, choose one of: \[([^\]]*)\]/
    .exec(e.message);
  if (!listed) return e;
  const names = (list: unknown) =>
    (list as { name: string }[] | undefined ?? []).map((c) => c.name);
  try {
    const pods = await client.resolve("pods", "v1");
    const spec = (await client.get({ resource: pods, name: pod, namespace })).spec as
      | Record<string, unknown>
      | undefined;
    const init = names(spec?.initContainers);
    return new ToolError(
      `pod "${pod}" has several containers; pass container as one of: ` +
        names(spec?.containers).join(", ") +
        (init.length ? ` (init containers: ${init.join(", ")})` : ""),
    );
  } catch {
    return new ToolError(
      `pod "${pod}" has several containers; pass container as one of: ` +
        listed[1]!.split(" ").join(", "),
    );
  }
}

export const getLogs = defineTool({
  name: "get_logs",
  title: "Get pod logs",
  description: "Read a container's log, filtered on the server. grep_include keeps lines that " +
    "match any of its comma-separated patterns, grep_exclude drops lines that match any; " +
    "patterns are literal text unless use_regex is true. max_lines returns the last N " +
    "matching lines. since limits the log to recent time (5m, 2h, 1d) or from an RFC 3339 " +
    `time. At most ${MAX_LOG_BYTES / 1024} KiB of text is returned: the newest lines are ` +
    "kept and a note says how to narrow the query. Name `container` when the pod has " +
    "several (get_pod_containers lists them); previous=true reads the last terminated run.",
  input: {
    namespace: p.namespace,
    name: p.objectName("Pod name"),
    container: p.containerName("Container name; needed when the pod has several").optional(),
    context: p.context,
    max_lines: z.union([z.number().int().min(0), z.string().max(20).regex(/^\s*\d+\s*$/)])
      .optional()
      .describe("Return the last N matching lines (a number; a numeric string is accepted)"),
    grep_include: p.text(p.LIMITS.pattern).optional().describe(
      "Keep lines matching any of these comma-separated patterns",
    ),
    grep_exclude: p.text(p.LIMITS.pattern).optional().describe(
      "Drop lines matching any of these comma-separated patterns",
    ),
    use_regex: z.boolean().optional().describe(
      "Treat patterns as RE2 regular expressions, Go's syntax (a leading (?i) ignores case; " +
        "no backreferences or lookaround)",
    ),
    since: p.text(p.LIMITS.since).optional().describe(
      'Only lines newer than this: a duration ("5m", "2h30m", "1d") or an RFC 3339 time',
    ),
    previous: z.boolean().optional().describe("Read the previous, terminated container's log"),
  },
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    const regex = args.use_regex ?? false;
    const includes = splitPatterns(args.grep_include, regex);
    const excludes = splitPatterns(args.grep_exclude, regex);
    const since = args.since?.trim() ? parseSince(args.since) : undefined;
    const include = await anyOf(includes, regex, "include");
    const exclude = await anyOf(excludes, regex, "exclude");
    const client = await kube.client(args.context);
    const namespace = args.namespace?.trim() || client.namespace;
    const lines = maxLines(args.max_lines);
    const filtered = includes.length > 0 || excludes.length > 0;
    const stream = await client.logs({
      namespace,
      name: args.name,
      container: args.container,
      previous: args.previous,
      // Without filters the kubelet can tail the file itself; with them every line must be read.
      tailLines: filtered ? undefined : lines,
      ...since,
    }, signal).catch(async (e) => {
      throw await containerChoice(e, client, namespace, args.name);
    });
    const result = await filterLog(stream, {
      include,
      exclude,
      maxLines: lines,
      maxBytes: MAX_LOG_BYTES,
    });
    const shown = result.lines.length;
    return ok({
      container: args.container ?? "",
      logs: result.lines.join("\n"),
      metadata: {
        filtered,
        grep_exclude: excludes.length ? excludes : null,
        grep_include: includes.length ? includes : null,
        matching_lines: result.matchingLines,
        returned_lines: shown,
        ...(lines ? { max_lines: lines } : {}),
        previous: args.previous ?? false,
        since: args.since ?? "",
        total_lines: result.totalLines,
        use_regex: regex,
        ...(result.droppedForBytes
          ? {
            truncated: true,
            note: `Only the last ${shown} matching lines fit the ${MAX_LOG_BYTES / 1024} KiB ` +
              `limit; ${result.droppedForBytes} earlier ones were left out. Narrow the query ` +
              `with grep_include, grep_exclude, since or a smaller max_lines.`,
          }
          : {}),
      },
      namespace,
      pod: args.name,
    });
  },
});
