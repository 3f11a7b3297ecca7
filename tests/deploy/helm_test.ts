// The Helm chart: helm lint, helm template with the default and passthrough values, the RBAC it
// grants (get, list and watch only, Secrets only when asked), the locked-down pod, the rendered
// manifests kept in step with the chart, and every rendered object created for real in a scratch
// namespace of the test cluster by its admin (the API server validates; nothing runs them).
// helm is built once from the Go module proxy (scripts/helm/helm.ts).

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadKubeconfigParser } from "../../src/deps.ts";
import { CHART_DIR, helm, MANIFESTS_DIR, render, RENDERINGS } from "../../scripts/helm/helm.ts";
import { integration } from "../_helpers/testenv.ts";
import { budgetFromLimit, heapFlag, parseSize } from "../../src/budget/plan.ts";

// deno-lint-ignore no-explicit-any
type Obj = Record<string, any>;

async function parse(text: string): Promise<Obj[]> {
  const { yaml } = await loadKubeconfigParser();
  return (yaml.loadAll(text) as (Obj | null)[]).filter((o): o is Obj => !!o && !!o.kind);
}

async function template(values: string[], extra: string[] = [], namespace = "mcp"): Promise<Obj[]> {
  const r = await helm([
    "template",
    "t",
    CHART_DIR,
    "--namespace",
    namespace,
    ...values.flatMap((v) => ["-f", join(CHART_DIR, v)]),
    ...extra,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return parse(r.stdout);
}

const READ_VERBS = new Set(["get", "list", "watch"]);
const PASSTHROUGH = ["values-passthrough.yaml"];

function rules(objs: Obj[]): Obj[] {
  return objs.filter((o) => o.kind === "ClusterRole" || o.kind === "Role")
    .flatMap((o) => o.rules ?? []);
}

function container(objs: Obj[]): Obj {
  return objs.find((o) => o.kind === "Deployment")!.spec.template.spec.containers[0];
}

Deno.test("helm lint passes with the default and the passthrough values", async () => {
  for (const values of [[], PASSTHROUGH]) {
    const r = await helm(["lint", CHART_DIR, ...values.flatMap((v) => ["-f", join(CHART_DIR, v)])]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
});

Deno.test("helm template (default): the objects, a read-only ClusterRole, a locked-down pod", async () => {
  const objs = await template([]);
  assert.deepEqual(objs.map((o) => o.kind).sort(), [
    "ClusterRole",
    "ClusterRoleBinding",
    "Deployment",
    "PodDisruptionBudget",
    "Service",
    "ServiceAccount",
  ]);
  const all = rules(objs);
  assert.ok(all.length > 0);
  for (const rule of all) {
    for (const verb of rule.verbs) assert.ok(READ_VERBS.has(verb), `verb ${verb}`);
    for (const field of ["verbs", "resources", "apiGroups"]) {
      assert.ok(!(rule[field] ?? []).includes("*"), `${field} has "*"`);
    }
    assert.ok(!rule.resources.includes("secrets"), "no secrets by default");
  }
  const deploy = objs.find((o) => o.kind === "Deployment")!;
  assert.equal(deploy.spec.replicas, 2);
  const pod = deploy.spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const c = container(objs);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
  assert.equal(c.livenessProbe.httpGet.path, "/healthz");
  assert.equal(c.readinessProbe.httpGet.path, "/readyz");
  assert.ok(c.resources.requests.memory && c.resources.limits.memory);
  // The budget is 3/4 of the limit, as the server would take it from the cgroup, and V8's heap
  // limit is the one the budget gives (it cannot be set once the server runs).
  const limit = parseSize(c.resources.limits.memory)!;
  const budget = budgetFromLimit(limit)!;
  assert.ok(c.args.includes(`--memory-budget=${budget / 1024 / 1024}Mi`), c.args.join(" "));
  assert.deepEqual(c.env, [{ name: "DENO_V8_FLAGS", value: heapFlag(budget) }]);
  assert.ok(c.args.includes("--auth=kubeconfig"));
  assert.ok(c.args.includes("--transport=streamable-http"));
  assert.ok(c.args.includes("--host=0.0.0.0"));
  assert.ok(c.args.some((a: string) => a.startsWith("--allowed-hosts=t-mcp-kubernetes-ro,")));
  assert.match(c.image, /^[^:]+:0\.1\.0$/);
  const pdb = objs.find((o) => o.kind === "PodDisruptionBudget")!;
  assert.deepEqual(pdb.spec.selector.matchLabels, deploy.spec.selector.matchLabels);
});

Deno.test("helm template (passthrough): bearer tokens, no token of its own, the CA mounted", async () => {
  const objs = await template(PASSTHROUGH);
  const c = container(objs);
  assert.ok(c.args.includes("--auth=passthrough"));
  assert.ok(c.args.includes("--client-cache-ttl=5m"));
  assert.ok(c.args.includes("--client-cache-size=100"));
  const pod = objs.find((o) => o.kind === "Deployment")!.spec.template.spec;
  assert.equal(pod.automountServiceAccountToken, false);
  assert.ok(
    c.volumeMounts.some((m: Obj) =>
      m.mountPath === "/var/run/secrets/kubernetes.io/serviceaccount"
    ),
  );
  assert.deepEqual(rules(objs), [], "passthrough grants the server nothing");
});

Deno.test("helm template: Secrets only on request, and any write verb is refused", async () => {
  const secrets = rules(await template([], ["--set", "rbac.readSecrets=true"]));
  assert.ok(secrets.some((r) => r.resources.includes("secrets")));
  for (const r of secrets) for (const v of r.verbs) assert.ok(READ_VERBS.has(v));
  const bad = await helm([
    "template",
    "t",
    CHART_DIR,
    "--set",
    "rbac.extraRules[0].apiGroups[0]=example.com",
    "--set",
    "rbac.extraRules[0].resources[0]=widgets",
    "--set",
    "rbac.extraRules[0].verbs[0]=delete",
  ]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /verb "delete" is not allowed/);
  const crd = rules(
    await template([], [
      "--set",
      "rbac.extraRules[0].apiGroups[0]=example.com",
      "--set",
      "rbac.extraRules[0].resources[0]=widgets",
      "--set",
      "rbac.extraRules[0].verbs[0]=list",
    ]),
  );
  assert.ok(crd.some((r) => r.resources.includes("widgets")));
});

Deno.test("helm template: pods/portforward only with portForward.enabled, with the flag", async () => {
  const off = await template([]);
  assert.ok(!rules(off).some((r) => r.resources.includes("pods/portforward")));
  assert.ok(!container(off).args.includes("--enable-port-forwarding"));
  const on = await template([], ["--set", "portForward.enabled=true"]);
  const extra = rules(on).filter((r) => !r.verbs.every((v: string) => READ_VERBS.has(v)));
  assert.deepEqual(extra, [{
    apiGroups: [""],
    resources: ["pods/portforward"],
    verbs: ["create"],
  }]);
  assert.ok(container(on).args.includes("--enable-port-forwarding"));
});

Deno.test("deploy/manifests are the chart rendered now (run `deno task helm render`)", async () => {
  for (const r of RENDERINGS) {
    const committed = await Deno.readTextFile(join(MANIFESTS_DIR, r.file));
    assert.equal(committed.slice(committed.indexOf("\n") + 1), await render(r.values), r.file);
  }
});

const PATHS: Record<string, (ns: string) => string> = {
  ServiceAccount: (ns) => `/api/v1/namespaces/${ns}/serviceaccounts`,
  Service: (ns) => `/api/v1/namespaces/${ns}/services`,
  Deployment: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  PodDisruptionBudget: (ns) => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
  ClusterRole: () => `/apis/rbac.authorization.k8s.io/v1/clusterroles`,
  ClusterRoleBinding: () => `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`,
};

integration(
  "the rendered objects are valid: the test cluster's API server creates them",
  async (env) => {
    const admin = await env.client("admin");
    const ns = `helm-${crypto.randomUUID().slice(0, 8)}`;
    const cleanup: string[] = [];
    try {
      await admin.request("POST", "/api/v1/namespaces", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns },
      });
      for (const [i, values] of [[], PASSTHROUGH].entries()) {
        // A distinct release per rendering, so cluster-scoped names do not collide.
        const r = await helm([
          "template",
          `${ns}-${i}`,
          CHART_DIR,
          "--namespace",
          ns,
          ...values.flatMap((v) => ["-f", join(CHART_DIR, v)]),
        ]);
        assert.equal(r.code, 0, r.stderr);
        for (const obj of await parse(r.stdout)) {
          const path = PATHS[obj.kind];
          assert.ok(path, `no API path for ${obj.kind}`);
          const res = await admin.raw("POST", path(ns), obj);
          assert.equal(res.status, 201, `${obj.kind} ${obj.metadata.name}: ${res.text}`);
          if (!obj.metadata.namespace) cleanup.push(`${path(ns)}/${obj.metadata.name}`);
        }
      }
      // The ServiceAccount of the default rendering may read, and may not write.
      const sa = `system:serviceaccount:${ns}:${ns}-0-mcp-kubernetes-ro`;
      const can = async (verb: string, resource: string) => {
        const review = await admin.request(
          "POST",
          "/apis/authorization.k8s.io/v1/subjectaccessreviews",
          {
            apiVersion: "authorization.k8s.io/v1",
            kind: "SubjectAccessReview",
            spec: { user: sa, resourceAttributes: { verb, resource, namespace: "team-a" } },
          },
        );
        return review.status.allowed === true;
      };
      assert.equal(await can("list", "pods"), true);
      assert.equal(await can("get", "secrets"), false);
      for (const verb of ["create", "update", "patch", "delete"]) {
        assert.equal(await can(verb, "pods"), false, verb);
      }
    } finally {
      for (const path of cleanup) await admin.raw("DELETE", path);
      await admin.raw("DELETE", `/api/v1/namespaces/${ns}`);
      admin.close();
    }
  },
);
