import assert from "node:assert/strict";
import { contextHttp } from "../../src/kube/access.ts";
import { assertReadOnly } from "../../src/kube/http.ts";
import { ReadOnlyViolation } from "../../src/kube/errors.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { localApi } from "../_helpers/local_api.ts";

Deno.test("assertReadOnly() allows GET and the review POSTs only", () => {
  assertReadOnly("GET", "/api/v1/pods");
  assertReadOnly("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
  for (
    const [method, path] of [
      ["POST", "/api/v1/namespaces/default/pods"],
      ["PUT", "/api/v1/namespaces/default/pods/x"],
      ["PATCH", "/apis/apps/v1/namespaces/default/deployments/x"],
      ["DELETE", "/api/v1/namespaces/default/pods/x"],
      ["POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x"],
      ["get", "/api/v1/pods"],
    ]
  ) {
    assert.throws(() => assertReadOnly(method!, path!), ReadOnlyViolation, `${method} ${path}`);
  }
});

Deno.test("KubeHttp refuses a write before any byte leaves the process", async () => {
  const seen: string[] = [];
  const api = await localApi((req) => {
    seen.push(`${req.method} ${new URL(req.url).pathname}`);
    return Response.json({ kind: "Status", gitVersion: "v1.0.0" });
  });
  try {
    const kc = await loadKubeconfig({
      kubeconfigPaths: [api.kubeconfig],
      kubeconfigSource: "flag",
      inCluster: false,
    });
    const http = contextHttp(kc, kc.contexts[0]!, { timeoutMs: 5000 });
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      await assert.rejects(
        http.request(method, "/api/v1/namespaces/default/pods"),
        ReadOnlyViolation,
      );
    }
    assert.deepEqual(seen, []);
    // The same client does reach the server with a GET, so the refusal above was not an accident.
    assert.deepEqual(await http.getJson("/version"), { kind: "Status", gitVersion: "v1.0.0" });
    assert.deepEqual(seen, ["GET /version"]);
  } finally {
    await api.close();
  }
});

Deno.test("KubeHttp says so when a server answers a GET with something that is not JSON", async () => {
  const api = await localApi(() => new Response("<html>login</html>", { status: 200 }));
  try {
    const kc = await loadKubeconfig({
      kubeconfigPaths: [api.kubeconfig],
      kubeconfigSource: "flag",
      inCluster: false,
    });
    const http = contextHttp(kc, kc.contexts[0]!, { timeoutMs: 5000 });
    await assert.rejects(
      http.getJson("/version"),
      /\/version answered with something that is not JSON/,
    );
  } finally {
    await api.close();
  }
});
