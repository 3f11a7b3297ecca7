// Service resolution (kubectl's rules) and the Go server's time format, without a cluster.

import assert from "node:assert/strict";
import {
  compareActivity,
  pickPod,
  serviceSelector,
  TargetError,
  targetPort,
} from "../../src/portforward/service_target.ts";
import { rfc3339Local } from "../../src/portforward/sessions.ts";
import type { KubeObject } from "../../src/kube/types.ts";

const pod = (
  name: string,
  o: {
    node?: string;
    phase?: string;
    ready?: string;
    restarts?: number;
    created?: string;
    ports?: { name: string; containerPort: number }[];
  } = {},
): KubeObject => ({
  metadata: { name, creationTimestamp: o.created ?? "2026-01-01T00:00:00Z" },
  spec: {
    ...(o.node === undefined ? { nodeName: "n1" } : o.node ? { nodeName: o.node } : {}),
    containers: [{ name: "app", ports: o.ports ?? [] }],
  },
  status: {
    phase: o.phase ?? "Running",
    conditions: o.ready ? [{ type: "Ready", status: "True", lastTransitionTime: o.ready }] : [],
    containerStatuses: [{ name: "app", restartCount: o.restarts ?? 0 }],
  },
});

const svc = (
  ports: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): KubeObject => ({
  metadata: { name: "web" },
  spec: { selector: { tier: "frontend", app: "web" }, ports, ...extra },
});

Deno.test("serviceSelector() joins the selector; none is an error", () => {
  assert.equal(serviceSelector(svc([])), "app=web,tier=frontend");
  assert.throws(
    () => serviceSelector({ metadata: { name: "ext" }, spec: {} }),
    (e) => e instanceof TargetError && /Service ext is defined without a selector/.test(e.message),
  );
});

Deno.test("pickPod() prefers as kubectl's ActivePods does, and needs Running", () => {
  const order = (...pods: KubeObject[]) =>
    [...pods].sort(compareActivity).map((p) => (p.metadata as { name: string }).name);
  assert.deepEqual(order(pod("unbound", { node: "" }), pod("bound")), ["bound", "unbound"]);
  assert.deepEqual(order(pod("pending", { phase: "Pending" }), pod("running")), [
    "running",
    "pending",
  ]);
  assert.deepEqual(order(pod("notready"), pod("ready", { ready: "2026-01-02T00:00:00Z" })), [
    "ready",
    "notready",
  ]);
  assert.deepEqual(
    order(
      pod("newer", { ready: "2026-01-03T00:00:00Z" }),
      pod("longer", { ready: "2026-01-02T00:00:00Z" }),
    ),
    ["longer", "newer"],
  );
  assert.deepEqual(order(pod("crashy", { restarts: 5 }), pod("calm")), ["calm", "crashy"]);
  assert.deepEqual(
    order(
      pod("young", { created: "2026-02-01T00:00:00Z" }),
      pod("old", { created: "2026-01-01T00:00:00Z" }),
    ),
    ["old", "young"],
  );
  assert.throws(() => pickPod("web", []), /Service web selects no pods/);
  assert.throws(
    () => pickPod("web", [pod("p", { phase: "Pending" })]),
    /unable to forward port because pod is not running\. Current status=Pending/,
  );
});

Deno.test("targetPort() maps a Service port by number, by name, and keeps headless ports", () => {
  const p = pod("p", { ports: [{ name: "http", containerPort: 8080 }] });
  assert.equal(targetPort(svc([{ port: 80, targetPort: "http" }]), p, 80), 8080);
  assert.equal(targetPort(svc([{ port: 80, targetPort: 9090 }]), p, 80), 9090);
  assert.equal(targetPort(svc([{ port: 80, targetPort: "9091" }]), p, 80), 9091);
  assert.equal(targetPort(svc([{ port: 80 }]), p, 80), 80);
  assert.equal(targetPort(svc([{ port: 80, targetPort: 0 }]), p, 80), 80);
  assert.equal(
    targetPort(svc([{ port: 80, targetPort: "http" }], { clusterIP: "None" }), p, 80),
    80,
  );
  assert.throws(
    () => targetPort(svc([{ port: 80, name: "http" }]), p, 81),
    /does not have a service port 81; its ports are 80 \(http\)/,
  );
  assert.throws(
    () => targetPort(svc([{ port: 80, targetPort: "grpc" }]), p, 80),
    /Pod p does not have a named port 'grpc'/,
  );
  assert.throws(() => targetPort(svc([{ port: 53, protocol: "UDP" }]), p, 53), /only TCP/);
});

Deno.test("rfc3339Local() writes Go's RFC 3339 with the local offset and trimmed fraction", () => {
  const s = rfc3339Local(new Date(Date.UTC(2026, 5, 17, 18, 2, 11, 480)));
  assert.match(s, /^2026-06-1[78]T\d\d:02:11\.48(Z|[+-]\d\d:\d\d)$/);
  assert.equal(Date.parse(s), Date.UTC(2026, 5, 17, 18, 2, 11, 480));
  assert.match(rfc3339Local(new Date(Date.UTC(2026, 0, 1))), /T\d\d:00:00(Z|[+-]\d\d:\d\d)$/);
});
