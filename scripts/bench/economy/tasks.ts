// The diagnosis tasks of the economy bench: each a user's question, the facts from the seed that
// answer it (scripts/testenv/seed_data.ts, never copied by hand), and per server the best
// scripted plans in that server's own tools. Plans for ours use the defaults its tools document
// (state columns in lists, the default container in get_logs); they name an argument only when
// the question needs it (fields for a projection, previous for the last run, a field selector
// for warnings).

import {
  API_DEPLOYMENT,
  BILLING_DEPLOYMENT,
  BULK_DEPLOYMENT,
  CACHE_STATEFULSET,
  CRDS,
  GADGETS,
  MIGRATE_JOB,
  NODES,
  NOT_READY_NODE,
  POD,
  PODS,
  SECRET_NAMESPACE,
  secretNeedles,
  SEED_SECRETS,
  WEB_DEPLOYMENT,
  WIDGETS,
} from "../../testenv/seed_data.ts";
import type { Needle } from "./evidence.ts";
import { mustList } from "./parse.ts";
import type { Call, Plan, Task } from "./types.ts";

const NS = "mcp-test";

function plan(label: string, run: (call: Call) => Promise<unknown>): Plan {
  return { label, run: async (call) => void await run(call) };
}

/** A plan of one call. */
function one(tool: string, args: Record<string, unknown>, note = ""): Plan {
  const shown = Object.entries(args).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  return plan(`${tool} ${shown}${note}`, (call) => call(tool, args));
}

/** A whole number on its own (not part of 13, 3.12 or 2026-12-03). */
function num(n: number): RegExp {
  return new RegExp(`(?<![\\d.:-])${n}(?![\\d.:])`);
}

/** n of n replicas ready: a READY column (2/2), Flux159's "2/2 ready", or the status fields. */
function allReady(n: number): Needle {
  return [
    new RegExp(`(?<![\\d/])${n}/${n}(?![\\d/])`),
    new RegExp(`"?readyReplicas"?\\s*:\\s*${n}(?!\\d)`),
  ];
}

// ---------------------------------------------------------------- plans used by several tasks

/** The Go server: names from list_resources, then get_resource of each (its only way to state). */
function goListThenGet(resourceType: string, namespace?: string): Plan {
  const scope = namespace === undefined ? {} : { namespace };
  return plan(`list_resources ${resourceType}, then get_resource each`, async (call) => {
    // Across namespaces the names-only list has no namespace; title_only=false carries it.
    const all = namespace === "";
    const list = await call("list_resources", {
      resource_type: resourceType,
      ...scope,
      ...(all ? { title_only: false } : {}),
    });
    for (const item of mustList(list.text, resourceType)) {
      await call("get_resource", {
        resource_type: resourceType,
        name: item.name,
        ...(item.namespace ?? namespace ? { namespace: item.namespace ?? namespace } : {}),
      });
    }
  });
}

/** containers: its table (resources_list), then resources_get of the rows `pick` keeps. */
function containersListThenGet(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  pick: (cells: Record<string, string>) => boolean = () => true,
): Plan {
  return plan(`resources_list ${kind}, then resources_get the rows that matter`, async (call) => {
    const list = await call("resources_list", {
      apiVersion,
      kind,
      ...(namespace ? { namespace } : {}),
    });
    for (const row of mustList(list.text, kind).filter((r) => pick(r.cells ?? {}))) {
      await call("resources_get", {
        apiVersion,
        kind,
        name: row.name,
        ...(row.namespace ?? namespace ? { namespace: row.namespace ?? namespace } : {}),
      });
    }
  });
}

/** Flux159: kubectl_get (its JSON list: name and a status), then kubectl_get of each. */
function fluxListThenGet(resourceType: string, namespace: string): Plan {
  return plan(`kubectl_get ${resourceType}, then kubectl_get each`, async (call) => {
    const list = await call("kubectl_get", { resourceType, namespace });
    for (const item of mustList(list.text, resourceType)) {
      await call("kubectl_get", { resourceType, name: item.name, namespace });
    }
  });
}

const podsOf = (namespace: string) => PODS.filter((p) => p.namespace === namespace);
const podNames = (namespace: string) => podsOf(namespace).map((p) => p.name);

// ---------------------------------------------------------------- the tasks

const opaque = SEED_SECRETS.find((s) => s.name === "mcp-opaque")!;
const crashloop = PODS.find((p) => p.name === POD.crashloop)!;
const web1 = PODS.find((p) => p.name === POD.web1)!;
const web2 = PODS.find((p) => p.name === POD.web2)!;

export const TASKS: readonly Task[] = [
  {
    id: "failing_pods",
    title: "Which pods fail",
    question: `Which pods in ${NS} are failing?`,
    names: podNames(NS),
    facts: [
      {
        label: `${POD.crashloop} is in ${crashloop.containers[0]!.waitingReason}`,
        subject: POD.crashloop,
        needles: [crashloop.containers[0]!.waitingReason!],
      },
      { label: `${POD.pending} is Pending`, subject: POD.pending, needles: ["Pending"] },
    ],
    plans: {
      ours: [one("list_resources", { resource_type: "pods", namespace: NS })],
      go: [goListThenGet("pods", NS)],
      containers: [one("pods_list_in_namespace", { namespace: NS })],
      flux159: [one("kubectl_get", { resourceType: "pods", namespace: NS })],
    },
  },
  {
    id: "pending_why",
    title: "Why a pod is Pending",
    question: `Why is ${POD.pending} not running?`,
    names: [POD.pending],
    facts: [{
      label: "the scheduler found no node with enough cpu",
      subject: POD.pending,
      needles: ["Insufficient cpu"],
    }],
    plans: {
      ours: [one("describe_resource", { resource_type: "pod", name: POD.pending, namespace: NS })],
      go: [one("get_resource", { resource_type: "pods", name: POD.pending, namespace: NS })],
      containers: [one("pods_get", { name: POD.pending, namespace: NS })],
      flux159: [
        one("kubectl_describe", { resourceType: "pod", name: POD.pending, namespace: NS }),
        one("kubectl_get", { resourceType: "pod", name: POD.pending, namespace: NS }),
      ],
    },
  },
  {
    id: "node_not_ready",
    title: "Which node is NotReady, why",
    question: "Which node is NotReady, and why?",
    names: [...NODES],
    facts: [{
      label: `${NOT_READY_NODE.name}: ${NOT_READY_NODE.conditions.Ready.reason} (cni)`,
      subject: NOT_READY_NODE.name,
      needles: [
        ["NotReady", NOT_READY_NODE.conditions.Ready.reason],
        "cni plugin not initialized",
      ],
    }],
    plans: {
      ours: [one("get_cluster_health", {})],
      go: [goListThenGet("nodes")],
      containers: [containersListThenGet("v1", "Node", undefined, (c) => c.STATUS !== "Ready")],
      flux159: [
        one("kubectl_get", { resourceType: "nodes", output: "yaml" }),
        plan("kubectl_get nodes, then kubectl_describe the NotReady ones", async (call) => {
          const list = await call("kubectl_get", { resourceType: "nodes" });
          const bad = list.text.match(/"name":\s*"([^"]+)"[^}]*"status":\s*"NotReady"/g) ?? [];
          for (const m of bad) {
            const name = /"name":\s*"([^"]+)"/.exec(m)![1]!;
            await call("kubectl_describe", { resourceType: "node", name });
          }
        }),
      ],
    },
  },
  {
    id: "pod_images",
    title: "Images of every pod",
    question: `Which images does each pod in ${NS} run?`,
    names: podNames(NS),
    facts: podsOf(NS).map((p) => ({
      label: `${p.name}: ${[...new Set(p.containers.map((c) => c.image))].join(", ")}`,
      subject: p.name,
      needles: [...new Set(p.containers.map((c) => c.image))],
    })),
    plans: {
      ours: [one("list_resources", {
        resource_type: "pods",
        namespace: NS,
        fields: [".spec.containers[*].image"],
      })],
      go: [goListThenGet("pods", NS)],
      containers: [containersListThenGet("v1", "Pod", NS)],
      flux159: [
        one("kubectl_get", { resourceType: "pods", namespace: NS, output: "yaml" }),
        fluxListThenGet("pods", NS),
      ],
    },
  },
  {
    id: "crd_objects",
    title: "What a CRD's objects say",
    question: `What colour and size are the widgets in ${NS}?`,
    names: WIDGETS.map((w) => w.name),
    facts: WIDGETS.filter((w) => w.namespace === NS).map((w) => ({
      label: `${w.name}: ${w.spec.color}, ${w.spec.size}`,
      subject: w.name,
      needles: [w.spec.color, num(w.spec.size)],
    })),
    plans: {
      ours: [one("list_resources", { resource_type: CRDS.widget.plural, namespace: NS })],
      go: [goListThenGet(CRDS.widget.plural, NS)],
      containers: [one("resources_list", {
        apiVersion: `${CRDS.widget.group}/${CRDS.widget.version}`,
        kind: CRDS.widget.kind,
        namespace: NS,
      })],
      flux159: [
        one("kubectl_get", { resourceType: CRDS.widget.plural, namespace: NS }),
        one("kubectl_get", { resourceType: CRDS.widget.plural, namespace: NS, output: "wide" }),
        one("kubectl_get", { resourceType: CRDS.widget.plural, namespace: NS, output: "yaml" }),
      ],
    },
  },
  {
    id: "cluster_crd_objects",
    title: "Cluster-scoped CRD objects",
    question: "How much power does each gadget have?",
    names: GADGETS.map((g) => g.name),
    facts: GADGETS.map((g) => ({
      label: `${g.name}: power ${g.spec.power}`,
      subject: g.name,
      needles: [num(g.spec.power)],
    })),
    plans: {
      ours: [one("list_resources", { resource_type: CRDS.gadget.plural })],
      go: [goListThenGet(CRDS.gadget.plural)],
      containers: [one("resources_list", {
        apiVersion: `${CRDS.gadget.group}/${CRDS.gadget.version}`,
        kind: CRDS.gadget.kind,
      })],
      flux159: [
        one("kubectl_get", { resourceType: CRDS.gadget.plural }),
        one("kubectl_get", { resourceType: CRDS.gadget.plural, output: "wide" }),
        one("kubectl_get", { resourceType: CRDS.gadget.plural, output: "yaml" }),
      ],
    },
  },
  {
    id: "log_multi_container",
    title: "Last warning, 2-container pod",
    question: `What is the latest warning in ${POD.web1}'s log?`,
    facts: [{ label: "WARN upstream slow (app container)", needles: ["WARN upstream slow"] }],
    plans: {
      ours: [one("get_logs", { name: POD.web1, namespace: NS })],
      go: [
        plan("get_pod_containers, then get_logs of the first", async (call) => {
          const c = await call("get_pod_containers", { name: POD.web1, namespace: NS });
          const first = (JSON.parse(c.text) as { containers: string[] }).containers[0]!;
          await call("get_logs", { name: POD.web1, namespace: NS, container: first });
        }),
      ],
      containers: [one("pods_log", { name: POD.web1, namespace: NS })],
      flux159: [one("kubectl_logs", { resourceType: "pod", name: POD.web1, namespace: NS })],
    },
  },
  {
    id: "log_default_container",
    title: "Log of the default container",
    question: `What does ${POD.web2} log? (its default container)`,
    facts: [{
      label: `the ${web2.annotations!["kubectl.kubernetes.io/default-container"]} container's log`,
      needles: ["[fluent-bit] started"],
    }],
    plans: {
      ours: [one("get_logs", { name: POD.web2, namespace: NS })],
      go: [
        plan("get_pod_containers, then get_logs of the first", async (call) => {
          const c = await call("get_pod_containers", { name: POD.web2, namespace: NS });
          const first = (JSON.parse(c.text) as { containers: string[] }).containers[0]!;
          await call("get_logs", { name: POD.web2, namespace: NS, container: first });
        }),
        plan("get_resource the pod (its default-container annotation), then get_logs", async (
          call,
        ) => {
          const pod = await call("get_resource", {
            resource_type: "pods",
            name: POD.web2,
            namespace: NS,
          });
          const container = /"kubectl\.kubernetes\.io\/default-container":\s*"([^"]+)"/
            .exec(pod.text)?.[1];
          if (!container) throw new Error("no default-container annotation in the pod");
          await call("get_logs", { name: POD.web2, namespace: NS, container });
        }),
      ],
      containers: [one("pods_log", { name: POD.web2, namespace: NS })],
      flux159: [one("kubectl_logs", { resourceType: "pod", name: POD.web2, namespace: NS })],
    },
  },
  {
    id: "oom_last_words",
    title: "Why a container restarted, last log",
    question: `Why did ${POD.web1} restart, and what did it log before?`,
    facts: [
      {
        label: `${web1.containers[0]!.lastTerminated!.reason} (last state)`,
        needles: [web1.containers[0]!.lastTerminated!.reason],
      },
      {
        label: "the previous run's last line",
        needles: ["out of memory while rendering report"],
      },
    ],
    plans: {
      ours: [
        plan("get_logs previous=true (then get_pod_containers if it gives no reason)", async (
          call,
        ) => {
          const logs = await call("get_logs", { name: POD.web1, namespace: NS, previous: true });
          if (!/OOMKilled|terminated \(/.test(logs.text)) {
            await call("get_pod_containers", { name: POD.web1, namespace: NS });
          }
        }),
      ],
      go: [
        plan("get_resource the pod (last state), then get_logs previous=true", async (call) => {
          const pod = await call("get_resource", {
            resource_type: "pods",
            name: POD.web1,
            namespace: NS,
          });
          const spec = JSON.parse(pod.text) as { spec: { containers: { name: string }[] } };
          await call("get_logs", {
            name: POD.web1,
            namespace: NS,
            container: spec.spec.containers[0]!.name,
            previous: true,
          });
        }),
      ],
      containers: [
        plan("pods_get (last state), then pods_log previous=true", async (call) => {
          await call("pods_get", { name: POD.web1, namespace: NS });
          await call("pods_log", { name: POD.web1, namespace: NS, previous: true });
        }),
      ],
      flux159: [
        plan("kubectl_describe the pod, then kubectl_logs previous=true", async (call) => {
          await call("kubectl_describe", { resourceType: "pod", name: POD.web1, namespace: NS });
          await call("kubectl_logs", {
            resourceType: "pod",
            name: POD.web1,
            namespace: NS,
            previous: true,
          });
        }),
      ],
    },
  },
  {
    id: "crashloop_why",
    title: "Why a pod crash-loops",
    question: `Why does ${POD.crashloop} keep crashing?`,
    facts: [{ label: "the panic in its log", needles: ["config key 'db.url' missing"] }],
    plans: {
      ours: [one("get_logs", { name: POD.crashloop, namespace: NS })],
      go: [one("get_logs", { name: POD.crashloop, namespace: NS })],
      containers: [one("pods_log", { name: POD.crashloop, namespace: NS })],
      flux159: [one("kubectl_logs", { resourceType: "pod", name: POD.crashloop, namespace: NS })],
    },
  },
  {
    id: "deployments_ready",
    title: "Deployments fully available",
    question: "Is every Deployment fully available?",
    names: [WEB_DEPLOYMENT, API_DEPLOYMENT, BILLING_DEPLOYMENT, BULK_DEPLOYMENT].map((d) => d.name),
    facts: [WEB_DEPLOYMENT, API_DEPLOYMENT, BILLING_DEPLOYMENT, BULK_DEPLOYMENT].map((d) => ({
      label: `${d.namespace}/${d.name}: ${d.replicas}/${d.replicas}`,
      subject: d.name,
      needles: [allReady(d.replicas)],
    })),
    plans: {
      ours: [one("list_resources", { resource_type: "deployments", namespace: "*" })],
      go: [goListThenGet("deployments", "")],
      containers: [one("resources_list", { apiVersion: "apps/v1", kind: "Deployment" })],
      flux159: [one("kubectl_get", { resourceType: "deployments", allNamespaces: true })],
    },
  },
  {
    id: "statefulset_ready",
    title: "StatefulSet ready",
    question:
      `Is the ${CACHE_STATEFULSET.name} StatefulSet in ${CACHE_STATEFULSET.namespace} ready?`,
    names: [CACHE_STATEFULSET.name, POD.cache],
    facts: [{
      label:
        `${CACHE_STATEFULSET.name}: ${CACHE_STATEFULSET.replicas}/${CACHE_STATEFULSET.replicas}`,
      subject: CACHE_STATEFULSET.name,
      needles: [allReady(CACHE_STATEFULSET.replicas)],
    }],
    plans: {
      ours: [one("list_resources", {
        resource_type: "statefulsets",
        namespace: CACHE_STATEFULSET.namespace,
      })],
      go: [one("get_resource", {
        resource_type: "statefulsets",
        name: CACHE_STATEFULSET.name,
        namespace: CACHE_STATEFULSET.namespace,
      })],
      containers: [
        one("resources_list", {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          namespace: CACHE_STATEFULSET.namespace,
        }),
        one("resources_get", {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          name: CACHE_STATEFULSET.name,
          namespace: CACHE_STATEFULSET.namespace,
        }),
      ],
      flux159: [one("kubectl_get", {
        resourceType: "statefulsets",
        namespace: CACHE_STATEFULSET.namespace,
      })],
    },
  },
  {
    id: "job_completed",
    title: "Whether a Job completed",
    question: `Did the Job ${MIGRATE_JOB.name} complete?`,
    names: [MIGRATE_JOB.name, POD.migrate],
    facts: [{
      label: `${MIGRATE_JOB.name}: Complete`,
      subject: MIGRATE_JOB.name,
      needles: [["Complete", "1/1"]],
    }],
    plans: {
      ours: [one("list_resources", { resource_type: "jobs", namespace: NS })],
      go: [one("get_resource", { resource_type: "jobs", name: MIGRATE_JOB.name, namespace: NS })],
      containers: [
        one("resources_list", { apiVersion: "batch/v1", kind: "Job", namespace: NS }),
        one("resources_get", {
          apiVersion: "batch/v1",
          kind: "Job",
          name: MIGRATE_JOB.name,
          namespace: NS,
        }),
      ],
      flux159: [one("kubectl_get", { resourceType: "jobs", namespace: NS })],
    },
  },
  {
    id: "warning_events",
    title: "Warning events in a namespace",
    question: `What warnings are there in ${NS}?`,
    facts: [
      { label: "FailedCreate: exceeded quota", needles: ["exceeded quota"] },
      { label: "BackOff of crashloop", needles: ["Back-off restarting failed container"] },
      { label: "OOMKilling", needles: ["Memory cgroup out of memory"] },
      { label: "liveness probe of worker", needles: ["Liveness probe failed"] },
      { label: "readiness probe of web-1 (events.k8s.io)", needles: ["Readiness probe failed"] },
    ],
    plans: {
      ours: [one("list_resources", {
        resource_type: "events",
        namespace: NS,
        field_selector: "type=Warning",
      })],
      go: [
        plan("list_resources events type=Warning, then get_resource each", async (call) => {
          const list = await call("list_resources", {
            resource_type: "events",
            namespace: NS,
            field_selector: "type=Warning",
          });
          for (const item of mustList(list.text, "events")) {
            await call("get_resource", { resource_type: "events", name: item.name, namespace: NS });
          }
        }),
      ],
      containers: [one("events_list", { namespace: NS, fieldSelector: "type=Warning" })],
      flux159: [one("kubectl_get", {
        resourceType: "events",
        namespace: NS,
        fieldSelector: "type=Warning",
      })],
    },
  },
  {
    id: "secret_keys",
    title: "A Secret's keys, not its values",
    question: `Which keys does the Secret ${opaque.name} hold? (never show the values)`,
    names: [opaque.name],
    facts: [{
      label: `${opaque.name}: ${Object.keys(opaque.data!).join(", ")}`,
      subject: opaque.name,
      needles: Object.keys(opaque.data!),
    }],
    forbidden: secretNeedles(),
    plans: {
      ours: [one("get_resource", {
        resource_type: "secrets",
        name: opaque.name,
        namespace: SECRET_NAMESPACE,
      })],
      go: [one("get_resource", {
        resource_type: "secrets",
        name: opaque.name,
        namespace: SECRET_NAMESPACE,
      })],
      containers: [one("resources_get", {
        apiVersion: "v1",
        kind: "Secret",
        name: opaque.name,
        namespace: SECRET_NAMESPACE,
      })],
      flux159: [one("kubectl_get", {
        resourceType: "secrets",
        name: opaque.name,
        namespace: SECRET_NAMESPACE,
      })],
    },
  },
];

/** Every task's subjects, for a test: they must be names the seed creates. */
export function subjects(): string[] {
  return TASKS.flatMap((t) => t.facts.flatMap((f) => f.subject ?? []));
}
