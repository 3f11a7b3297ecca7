// The least-privilege role: what --print-rbac grants for each configuration (pure), and the
// Helm chart's ClusterRole generated from the same table: the committed template is the
// generator's output, and helm renders the same rules as --print-rbac for the same settings.

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadKubeconfigParser } from "../../src/deps.ts";
import { SECRET_TOOLS, TOOLS } from "../../src/tools/registry.ts";
import { roleOptions } from "../../src/rbac/print.ts";
import { type PolicyRule, roleRules } from "../../src/rbac/role.ts";
import { CHART_DIR, helm } from "../../scripts/helm/helm.ts";
import { roleTemplate, TEMPLATE_PATH } from "../../scripts/helm/role_template.ts";
import { testConfig } from "../_helpers/connect.ts";
import type { FlagLayer } from "../../src/config/flags.ts";

/** "group/resource verbs" for each granted resource, sorted: easy to compare and to read. */
function grants(rules: readonly PolicyRule[]): string[] {
  return rules.flatMap((r) =>
    r.resources.flatMap((res) =>
      r.apiGroups.map((g) => `${g || "core"}/${res} ${[...r.verbs].sort().join(",")}`)
    )
  ).sort();
}

function rulesFor(flags: FlagLayer, portForward = false): string[] {
  return grants(roleRules(roleOptions(testConfig(flags), portForward)));
}

const has = (g: string[], entry: string) => g.some((x) => x.startsWith(`${entry} `));

Deno.test("--print-rbac grants reads only, Secrets and port forwarding only when needed", () => {
  const stdio = rulesFor({});
  for (const g of stdio) assert.match(g, / get,list,watch$| get$/, g);
  assert.ok(has(stdio, "core/pods/log"));
  assert.ok(has(stdio, "metrics.k8s.io/pods") && has(stdio, "metrics.k8s.io/nodes"));
  assert.ok(has(stdio, "apps/deployments"));
  // stdio offers save_secret_to_file, which reads Secrets.
  assert.ok(has(stdio, "core/secrets"));
  assert.ok(!has(stdio, "core/pods/portforward"));

  assert.ok(!has(rulesFor({ disabledTools: ["save_secret_to_file"] }), "core/secrets"));
  assert.ok(
    !has(rulesFor({ transport: "sse", disabledTools: ["get_secret_encrypted"] }), "core/secrets"),
  );
  assert.ok(has(rulesFor({ insecureSecretAccess: true }), "core/secrets"), "insecure: the readers");
  assert.ok(
    !has(rulesFor({ insecureSecretAccess: true, disabledResources: ["secrets"] }), "core/secrets"),
    "--disabled-resources wins",
  );

  const pf = rulesFor({}, true);
  assert.ok(pf.includes("core/pods/portforward create"));
  assert.ok(
    has(rulesFor({ disabledResources: ["pods"] }, true), "core/pods/portforward"),
    "--disabled-resources=pods leaves port forwarding on (as the server does)",
  );
});

Deno.test("--print-rbac honours --disabled-resources and --disabled-tools", () => {
  const g = rulesFor({ disabledResources: ["apps/v1/deployments", "configmaps", "core/v1/pods"] });
  assert.ok(!has(g, "apps/deployments"));
  assert.ok(has(g, "apps/replicasets"), "only the named type goes");
  assert.ok(!has(g, "core/configmaps"));
  assert.ok(!has(g, "core/pods") && !has(g, "core/pods/log"), "a type takes its subresources");
  assert.ok(has(g, "metrics.k8s.io/pods"), "pod metrics are not pods");

  const noLogs = rulesFor({ disabledTools: ["get_logs"] });
  assert.ok(!has(noLogs, "core/pods/log"));
  assert.ok(has(noLogs, "core/pods"));

  // Only the narrow tools left: each gets exactly what it reads.
  const narrow = rulesFor({
    disabledTools: [
      "list_resources",
      "get_resource",
      "describe_resource",
      "get_pod_metrics",
      "save_secret_to_file",
    ],
  });
  assert.deepEqual(narrow, [
    "core/componentstatuses get,list,watch",
    "core/nodes get,list,watch",
    "core/pods get,list,watch",
    "core/pods/log get",
    "metrics.k8s.io/nodes get,list,watch",
  ]);
  const none = rulesFor({
    disabledTools: [...TOOLS.map((t) => t.name), "save_secret_to_file"],
  });
  assert.deepEqual(none, []);
});

Deno.test("the chart's ClusterRole template is the generator's output (deno task helm render)", async () => {
  assert.equal(await Deno.readTextFile(TEMPLATE_PATH), roleTemplate());
});

// deno-lint-ignore no-explicit-any
type Obj = Record<string, any>;

async function chartRules(set: string[]): Promise<string[]> {
  const r = await helm([
    "template",
    "t",
    CHART_DIR,
    "--namespace",
    "mcp",
    ...set.flatMap((s) => ["--set", s]),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { yaml } = await loadKubeconfigParser();
  const objs = (yaml.loadAll(r.stdout) as (Obj | null)[]).filter((o): o is Obj => !!o);
  const role = objs.find((o) => o.kind === "ClusterRole")!;
  return grants(role.rules ?? []);
}

Deno.test("helm renders the rules --print-rbac prints, for the same settings", async () => {
  const all = [...TOOLS, ...Object.values(SECRET_TOOLS)].flatMap((t) => t ? [t.name] : []);
  const cases: {
    set: string[];
    disabledTools: string[];
    disabledResources: string[];
    secrets: boolean;
    pf: boolean;
  }[] = [
    { set: [], disabledTools: [], disabledResources: [], secrets: false, pf: false },
    {
      set: ["rbac.readSecrets=true"],
      disabledTools: [],
      disabledResources: [],
      secrets: true,
      pf: false,
    },
    {
      set: ["portForward.enabled=true"],
      disabledTools: [],
      disabledResources: [],
      secrets: false,
      pf: true,
    },
    {
      set: ["portForward.enabled=true", "disabledResources={pods}"],
      disabledTools: [],
      disabledResources: ["pods"],
      secrets: false,
      pf: true,
    },
    {
      set: [
        "disabledTools={get_logs,List_Resources}",
        "disabledResources={apps/v1/deployments,configmaps,core/v1/pods}",
      ],
      disabledTools: ["get_logs", "list_resources"],
      disabledResources: ["apps/v1/deployments", "configmaps", "core/v1/pods"],
      secrets: false,
      pf: false,
    },
    {
      set: ["disabledTools={list_resources,get_resource,describe_resource,get_pod_metrics}"],
      disabledTools: ["list_resources", "get_resource", "describe_resource", "get_pod_metrics"],
      disabledResources: [],
      secrets: false,
      pf: false,
    },
  ];
  for (const c of cases) {
    const enabled = new Set(all.filter((n) => !c.disabledTools.includes(n)));
    // The chart's rbac.readSecrets stands for "Secret values may be read".
    if (!c.secrets) { for (const t of Object.values(SECRET_TOOLS)) if (t) enabled.delete(t.name); }
    const expected = grants(roleRules({
      enabledTools: enabled,
      disabledResources: c.disabledResources,
      insecureSecrets: c.secrets,
      portForward: c.pf,
    }));
    assert.deepEqual(await chartRules(c.set), expected, c.set.join(" "));
  }
});

Deno.test("the chart still refuses write verbs in extraRules", async () => {
  const r = await helm([
    "template",
    "t",
    CHART_DIR,
    "-f",
    join(CHART_DIR, "values.yaml"),
    "--set",
    "rbac.extraRules[0].apiGroups={example.com}",
    "--set",
    "rbac.extraRules[0].resources={widgets}",
    "--set",
    "rbac.extraRules[0].verbs={delete}",
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /verb "delete" is not allowed/);
});
