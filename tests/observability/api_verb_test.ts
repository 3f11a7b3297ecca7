import assert from "node:assert/strict";
import { apiVerb } from "../../src/observability/api_verb.ts";

Deno.test("apiVerb() names the Kubernetes verb of a request as the API server would", () => {
  const cases: [string, string, string][] = [
    ["GET", "/version", "get"],
    ["GET", "/api", "get"],
    ["GET", "/apis/apps/v1", "get"],
    ["GET", "/api/v1/pods", "list"],
    ["GET", "/api/v1/namespaces", "list"],
    ["GET", "/api/v1/namespaces/team-a", "get"],
    ["GET", "/api/v1/namespaces/team-a/pods", "list"],
    ["GET", "/api/v1/namespaces/team-a/pods/p", "get"],
    ["GET", "/api/v1/namespaces/team-a/pods/p/log", "get"],
    ["GET", "/apis/apps/v1/namespaces/a/deployments", "list"],
    ["GET", "/apis/metrics.k8s.io/v1beta1/nodes/n1", "get"],
    ["GET", "/api/v1/nodes", "list"],
    ["POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "create"],
  ];
  for (const [method, path, want] of cases) assert.equal(apiVerb(method, path), want, path);
  assert.equal(apiVerb("GET", "/api/v1/pods", { watch: "true" }), "watch");
});
