import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import * as o from "./_output.ts";
import { ok } from "../mcp/result.ts";
import * as p from "./_shared.ts";

type State = Record<string, Record<string, unknown> | undefined>;
interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: State;
  lastState?: State;
}
interface Container {
  name: string;
  image?: string;
}

function describe(state: State | undefined): string | undefined {
  const [kind, detail] = Object.entries(state ?? {}).find(([, v]) => v) ?? [];
  if (!kind) return undefined;
  const reason = detail?.reason ? String(detail.reason) : "";
  const exit = detail?.exitCode !== undefined ? `exit ${detail.exitCode}` : "";
  const extra = [reason, exit].filter(Boolean).join(", ");
  return extra ? `${kind} (${extra})` : kind;
}

function entries(type: string, specs: Container[] = [], statuses: ContainerStatus[] = []) {
  return specs.map((c) => {
    const s = statuses.find((x) => x.name === c.name);
    const last = describe(s?.lastState);
    return {
      name: c.name,
      type,
      image: c.image,
      state: describe(s?.state) ?? "unknown",
      ...(s ? { ready: s.ready ?? false, restartCount: s.restartCount ?? 0 } : {}),
      ...(last ? { lastState: last } : {}),
    };
  });
}

export const getPodContainers = defineTool({
  name: "get_pod_containers",
  title: "List a pod's containers",
  description: "A pod's containers: containers has the regular ones' names; container_details " +
    "adds init and ephemeral ones, with type, image, state, ready, restartCount and lastState. " +
    "A restarted container has a previous log (get_logs previous=true).",
  input: {
    namespace: p.namespace,
    name: p.objectName("Pod name"),
    context: p.context,
  },
  output: o.result({
    pod: z.string(),
    namespace: z.string(),
    containers: z.array(z.string()),
    container_details: z.array(o.object),
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    const client = await kube.client(args.context);
    const pods = await client.resolve("pods", "v1", signal);
    const namespace = args.namespace?.trim() || client.namespace;
    const pod = await client.get({ resource: pods, name: args.name, namespace }, signal);
    const spec = (pod.spec ?? {}) as Record<string, Container[] | undefined>;
    const status = (pod.status ?? {}) as Record<string, ContainerStatus[] | undefined>;
    return ok({
      pod: args.name,
      namespace,
      // The Go server's shape: regular container names, in spec order.
      containers: (spec.containers ?? []).map((c) => c.name),
      container_details: [
        ...entries("init", spec.initContainers, status.initContainerStatuses),
        ...entries("container", spec.containers, status.containerStatuses),
        ...entries("ephemeral", spec.ephemeralContainers, status.ephemeralContainerStatuses),
      ],
    });
  },
});
