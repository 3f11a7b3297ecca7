import assert from "node:assert/strict";
import { defaultContainer } from "../../src/logs/default_container.ts";

const pod = (annotation: string | undefined, restarts: Record<string, number> = {}) => ({
  metadata: annotation
    ? { annotations: { "kubectl.kubernetes.io/default-container": annotation } }
    : {},
  spec: { initContainers: [{ name: "init" }], containers: [{ name: "app" }, { name: "side" }] },
  status: {
    containerStatuses: Object.entries(restarts).map(([name, restartCount]) => ({
      name,
      restartCount,
    })),
  },
});

Deno.test("defaultContainer: kubectl's choice, the others and the restarts", () => {
  assert.deepEqual(defaultContainer(pod(undefined, { app: 2 })), {
    container: "app",
    others: ["side"],
    restarts: 2,
  });
  assert.deepEqual(defaultContainer(pod("side")), {
    container: "side",
    others: ["app"],
    restarts: 0,
  });
  // An annotation naming no container of the pod is ignored, as kubectl does.
  assert.equal(defaultContainer(pod("ghost"))!.container, "app");
  assert.equal(defaultContainer({ spec: { containers: [] } }), undefined);
});
