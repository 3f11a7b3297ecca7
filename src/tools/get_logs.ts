import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { KubeApiError } from "../kube/errors.ts";
import type { KubeClient } from "../kube/types.ts";
import { filterLog } from "../logs/filter.ts";
import { anyOf, splitPatterns } from "../logs/patterns.ts";
import { parseSince } from "../logs/since.ts";
import { workloadLogs } from "../logs/workload.ts";
import { type ContainerChoice, defaultContainer } from "../logs/default_container.ts";
import { errorText } from "../mcp/errors_to_text.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

/** The most log text one call returns (about 16k tokens). */
export const MAX_LOG_BYTES = 64 * 1024;
/** Pods read for a label_selector unless max_pods says otherwise, and the most it may say. */
export const DEFAULT_MAX_PODS = 10;
export const MAX_PODS = 50;

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

function truncation(dropped: number, shown: number) {
  return dropped
    ? {
      truncated: true,
      note: `Only the last ${shown} matching lines fit the ${MAX_LOG_BYTES / 1024} KiB ` +
        `limit; ${dropped} earlier ones were left out. Narrow the query ` +
        `with grep_include, grep_exclude, since or a smaller max_lines.`,
    }
    : {};
}

export const getLogs = defineTool({
  name: "get_logs",
  title: "Get pod logs",
  description: "Read a container's log, filtered on the server. At most " +
    `${MAX_LOG_BYTES / 1024} KiB: the newest lines are kept and metadata.note says how to ` +
    "narrow. label_selector instead of name reads every matching pod in the namespace, lines " +
    "merged by time and prefixed [pod/container].",
  input: {
    namespace: p.namespace,
    name: p.objectName("Pod name (or label_selector)").optional(),
    container: p.containerName(
      "Default: the pod's default-container annotation, else its first container (as kubectl)",
    ).optional(),
    context: p.context,
    max_lines: z.union([z.number().int().min(0), z.string().max(20).regex(/^\s*\d+\s*$/)])
      .optional()
      .describe("Last N matching lines"),
    grep_include: p.text(p.LIMITS.pattern).optional().describe(
      "Keep lines matching any comma-separated pattern (literal text)",
    ),
    grep_exclude: p.text(p.LIMITS.pattern).optional().describe(
      "Drop lines matching any comma-separated pattern",
    ),
    use_regex: z.boolean().optional().describe(
      "Patterns are RE2 regexes (Go syntax; (?i) ignores case)",
    ),
    since: p.text(p.LIMITS.since).optional().describe(
      "Only newer lines: 5m, 2h30m, 1d or an RFC 3339 time",
    ),
    previous: z.boolean().optional().describe("Log of the previous, terminated run"),
    timestamps: z.boolean().optional().describe("Prefix lines with the kubelet's time"),
    skip_lines: z.number().int().min(0).optional().describe(
      "Skip this many matching lines, then max_lines gives the next N (one pod only)",
    ),
    label_selector: p.text(p.LIMITS.selector).min(1).optional().describe(
      "Every pod with these labels, e.g. app=web",
    ),
    max_pods: z.number().int().min(1).max(MAX_PODS).optional().describe(
      `Most pods for label_selector (default ${DEFAULT_MAX_PODS})`,
    ),
  },
  output: o.result({
    container: z.string(),
    logs: z.string(),
    metadata: o.object,
    namespace: z.string(),
    pod: z.string(),
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    if (!args.name === !args.label_selector) {
      throw new ToolError(
        args.name
          ? "pass either name (one pod) or label_selector (every matching pod), not both"
          : "name is required (the pod), or label_selector to read every matching pod",
      );
    }
    if (args.label_selector && args.skip_lines !== undefined) {
      throw new ToolError(
        "skip_lines pages through one pod's log; with label_selector narrow the lines with " +
          "since, grep_include or max_lines instead",
      );
    }
    const regex = args.use_regex ?? false;
    const includes = splitPatterns(args.grep_include, regex);
    const excludes = splitPatterns(args.grep_exclude, regex);
    const req: LogRequest = {
      args,
      includes,
      excludes,
      since: args.since?.trim() ? parseSince(args.since) : undefined,
      include: await anyOf(includes, regex, "include"),
      exclude: await anyOf(excludes, regex, "exclude"),
      lines: maxLines(args.max_lines),
      filtered: includes.length > 0 || excludes.length > 0,
    };
    const client = await kube.client(args.context);
    const namespace = args.namespace?.trim() || client.namespace;
    return ok(
      args.label_selector
        ? await selectorLogs(client, namespace, args.label_selector, req, signal)
        : await podLogs(client, namespace, args.name!, req, signal),
    );
  },
});

type LogArgs = z.infer<z.ZodObject<typeof getLogs.input>>;

/** The arguments, checked and compiled once for either builder. */
interface LogRequest {
  args: LogArgs;
  includes: string[];
  excludes: string[];
  since?: ReturnType<typeof parseSince>;
  include: Awaited<ReturnType<typeof anyOf>>;
  exclude: Awaited<ReturnType<typeof anyOf>>;
  lines?: number;
  filtered: boolean;
}

/** What both answers' metadata say: the filters, the counts, the options, then their own parts. */
function logMetadata(
  req: LogRequest,
  counts: { matching: number; returned: number; total: number },
  own: Record<string, unknown>,
): Record<string, unknown> {
  const { args } = req;
  return {
    filtered: req.filtered,
    grep_exclude: req.excludes.length ? req.excludes : null,
    grep_include: req.includes.length ? req.includes : null,
    matching_lines: counts.matching,
    returned_lines: counts.returned,
    ...(req.lines ? { max_lines: req.lines } : {}),
    previous: args.previous ?? false,
    since: args.since ?? "",
    ...(args.timestamps ? { timestamps: true } : {}),
    use_regex: args.use_regex ?? false,
    total_lines: counts.total,
    ...own,
  };
}

/** The pod's default container as kubectl picks it; undefined when the pod cannot be read. */
async function choose(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<ContainerChoice | undefined> {
  const pods = await client.resolve("pods", "v1", signal);
  try {
    return defaultContainer(await client.get({ resource: pods, name, namespace }, signal));
  } catch (e) {
    // A user may read pods/log without get on pods: then the API server picks, as before.
    if (e instanceof KubeApiError && e.status === 403) return undefined;
    throw e;
  }
}

/** Which container was read and, when it restarted, where its last run's log is. */
function choiceNotes(choice: ContainerChoice, previous: boolean): Record<string, unknown> {
  return {
    ...(choice.others.length ? { other_containers: choice.others } : {}),
    ...(choice.restarts && !previous
      ? {
        restarts: choice.restarts,
        restart_note: `${choice.container} restarted ${choice.restarts} time` +
          `${choice.restarts === 1 ? "" : "s"}; previous: true shows its last run's log.`,
      }
      : {}),
  };
}

async function podLogs(
  client: KubeClient,
  namespace: string,
  name: string,
  req: LogRequest,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const { args } = req;
  const paging = args.skip_lines !== undefined;
  const choice = args.container ? undefined : await choose(client, namespace, name, signal);
  const container = args.container || choice?.container;
  const stream = await client.logs({
    namespace,
    name,
    container,
    previous: args.previous,
    timestamps: args.timestamps,
    // Without filters the kubelet can tail the file itself; with them every line must be read.
    tailLines: req.filtered || paging ? undefined : req.lines,
    ...req.since,
  }, signal).catch(async (e) => {
    throw await containerChoice(e, client, namespace, name);
  });
  const result = await filterLog(stream, {
    include: req.include,
    exclude: req.exclude,
    maxLines: req.lines,
    maxBytes: MAX_LOG_BYTES,
    timestamps: args.timestamps,
    skip: args.skip_lines,
  });
  const shown = result.lines.length;
  const skip = args.skip_lines ?? 0;
  return {
    container: container ?? "",
    logs: result.lines.join("\n"),
    metadata: logMetadata(req, {
      matching: result.matchingLines,
      returned: shown,
      total: result.totalLines,
    }, {
      ...(choice ? choiceNotes(choice, args.previous ?? false) : {}),
      ...(paging
        ? {
          skip_lines: skip,
          ...(result.more
            ? {
              next_skip_lines: skip + shown,
              note: `More matching lines follow: call again with skip_lines=` +
                `${skip + shown} for the next page. Reading stopped here, so total_lines ` +
                `and matching_lines count only the lines read so far.`,
            }
            : {}),
        }
        : {}),
      ...truncation(result.droppedForBytes, shown),
    }),
    namespace,
    pod: name,
  };
}

async function selectorLogs(
  client: KubeClient,
  namespace: string,
  labelSelector: string,
  req: LogRequest,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const { args } = req;
  const r = await workloadLogs(
    client,
    {
      namespace,
      labelSelector,
      container: args.container,
      maxPods: args.max_pods ?? DEFAULT_MAX_PODS,
      log: {
        previous: args.previous,
        tailLines: req.filtered ? undefined : req.lines,
        ...req.since,
      },
      filter: {
        include: req.include,
        exclude: req.exclude,
        maxLines: req.lines,
        maxBytes: MAX_LOG_BYTES,
      },
      timestamps: args.timestamps ?? false,
    },
    (e) => errorText("get_logs", e),
    signal,
  );
  const others = r.defaults.filter((d) => d.others.length);
  const restarted = args.previous ? [] : r.defaults.filter((d) => d.restarts > 0);
  return {
    container: args.container ?? "",
    label_selector: labelSelector,
    logs: r.lines.join("\n"),
    metadata: logMetadata(req, {
      matching: r.matchingLines,
      returned: r.lines.length,
      total: r.totalLines,
    }, {
      pods: r.pods,
      ...(others.length
        ? {
          other_containers: Object.fromEntries(others.map((d) => [d.pod, d.others])),
        }
        : {}),
      ...(restarted.length
        ? {
          restarts: Object.fromEntries(
            restarted.map((d) => [`${d.pod}/${d.container}`, d.restarts]),
          ),
          restart_note: "These containers restarted; previous: true shows their last run's log.",
        }
        : {}),
      ...(r.morePods
        ? {
          more_pods: true,
          pods_note: `Only the first ${r.pods.length} matching pods were read; raise ` +
            `max_pods (at most ${MAX_PODS}) or narrow label_selector.`,
        }
        : {}),
      ...(r.failed.length ? { failed: r.failed } : {}),
      ...truncation(r.droppedForBytes, r.lines.length),
    }),
    namespace,
    pod: "",
  };
}
