import assert from "node:assert/strict";
import { describeView } from "../../src/diagnose/describe_view.ts";
import { humanDuration } from "../../src/duration.ts";

Deno.test("describeView: API defaults, ids and empties out; states and non-defaults in", () => {
  const view = describeView({
    kind: "Pod",
    metadata: { name: "p", uid: "u", resourceVersion: "1", ownerReferences: [{ kind: "X" }] },
    spec: {
      dnsPolicy: "ClusterFirst",
      restartPolicy: "Never",
      securityContext: {},
      tolerations: [
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        { key: "gpu", operator: "Exists" },
      ],
      containers: [{
        name: "c",
        image: "i",
        terminationMessagePolicy: "File",
        imagePullPolicy: "Always",
      }],
    },
    status: {
      podIP: "10.0.0.1",
      podIPs: [{ ip: "10.0.0.1" }],
      conditions: [{ type: "Ready", status: "False", lastProbeTime: null }],
      containerStatuses: [{
        name: "c",
        containerID: "containerd://x",
        imageID: "sha",
        state: { waiting: { reason: "CrashLoopBackOff" } },
        lastState: { terminated: { exitCode: 2, containerID: "containerd://y" } },
      }],
    },
  });
  assert.deepEqual(view, {
    kind: "Pod",
    metadata: { name: "p" },
    spec: {
      restartPolicy: "Never",
      tolerations: [{ key: "gpu", operator: "Exists" }],
      containers: [{ name: "c", image: "i", imagePullPolicy: "Always" }],
    },
    status: {
      podIP: "10.0.0.1",
      conditions: [{ type: "Ready", status: "False" }],
      containerStatuses: [{
        name: "c",
        state: { waiting: { reason: "CrashLoopBackOff" } },
        lastState: { terminated: { exitCode: 2 } },
      }],
    },
  });
});

Deno.test("describeView: a workload's pod template loses its defaults too", () => {
  const view = describeView({
    kind: "CronJob",
    spec: {
      jobTemplate: {
        spec: { template: { spec: { dnsPolicy: "ClusterFirst", containers: [{ name: "c" }] } } },
      },
    },
  });
  assert.deepEqual(view.spec, {
    jobTemplate: { spec: { template: { spec: { containers: [{ name: "c" }] } } } },
  });
});

Deno.test("describeView: a node without its image list, its conditions kept", () => {
  const view = describeView({
    kind: "Node",
    status: {
      images: [{ names: ["nginx:1.27.3"], sizeBytes: 1 }],
      conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady" }],
    },
  });
  assert.deepEqual(view.status, {
    conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady" }],
  });
});

Deno.test("humanDuration: kubectl's ages", () => {
  const s = 1000;
  assert.deepEqual(
    [5, 119, 200, 600, 3 * 3600 + 60, 30 * 3600, 50 * 3600, 400 * 86400, 3 * 365 * 86400 + 86400]
      .map((x) => humanDuration(x * s)),
    ["5s", "119s", "3m20s", "10m", "3h1m", "30h", "2d2h", "400d", "3y1d"],
  );
});
