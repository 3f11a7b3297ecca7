// Writes the Helm chart's ClusterRole template from src/rbac/needs.ts, the table --print-rbac
// reads too, so the chart and the printed role never drift (tests/rbac/role_template_test.ts
// checks the committed file is this output, and that helm renders the rules --print-rbac prints).
// `deno task helm render` runs it before rendering deploy/manifests.
//
// The chart's values take the place of the flags: disabledTools and disabledResources are the
// same lists; rbac.readSecrets stands for "Secret values may be read" (the chart leaves Secrets
// out unless the operator says so, whatever the secret mode); portForward.enabled for
// --enable-port-forwarding.

import { type Need, NEEDS } from "../../src/rbac/needs.ts";

export const TEMPLATE_PATH = new URL(
  "../../deploy/helm/mcp-kubernetes-ro/templates/clusterrole.yaml",
  import.meta.url,
).pathname;

const q = (s: string) => JSON.stringify(s);

/** The template condition under which `need` is granted (disabled resources apart). */
function condition(need: Need): string {
  const tools = need.tools.map((t) => `(not (has ${q(t)} $offTools))`);
  if (need.portForward) tools.push("$.Values.portForward.enabled");
  const wanted = tools.length === 1 ? tools[0]! : `(or ${tools.join(" ")})`;
  return need.secret ? `(and $.Values.rbac.readSecrets ${wanted})` : wanted;
}

/** Drops from $r what disabledResources names, as src/rbac/role.ts blocks() does. */
function disabledFilter(group: string): string {
  const groupMatch = group === ""
    ? `(has (index $p 0) (list "core" ""))`
    : `(eq (index $p 0) ${q(group)})`;
  const bare = group === "metrics.k8s.io" ? "false" : "(eq (len $p) 1)";
  return [
    `  {{- range $spec := $offResources }}`,
    `  {{- $p := splitList "/" $spec }}`,
    `  {{- if or ${bare} (and (eq (len $p) 3) ${groupMatch}) }}`,
    `  {{- $base := last $p }}`,
    `  {{- $r = without $r $base (printf "%s/log" $base) }}`,
    `  {{- end }}`,
    `  {{- end }}`,
  ].join("\n");
}

function bucket(group: string, verbs: readonly string[], needs: Need[]): string {
  const lines = [`  {{- $r = list }}`];
  // Consecutive needs under the same condition are appended together.
  for (let i = 0; i < needs.length;) {
    const cond = condition(needs[i]!);
    const names: string[] = [];
    while (i < needs.length && condition(needs[i]!) === cond) names.push(needs[i++]!.resource);
    lines.push(
      `  {{- if ${cond} }}`,
      `  {{- $r = concat $r (list ${names.map(q).join(" ")}) }}`,
      `  {{- end }}`,
    );
  }
  lines.push(
    disabledFilter(group),
    `  {{- if $r }}`,
    `  - apiGroups: [${q(group)}]`,
    `    resources: {{ toJson $r }}`,
    `    verbs: [${verbs.map(q).join(", ")}]`,
    `  {{- end }}`,
  );
  return lines.join("\n");
}

export function roleTemplate(): string {
  const buckets = new Map<string, { group: string; verbs: readonly string[]; needs: Need[] }>();
  for (const need of NEEDS) {
    const key = `${need.group} ${need.verbs.join(",")}`;
    const b = buckets.get(key) ?? { group: need.group, verbs: need.verbs, needs: [] };
    b.needs.push(need);
    buckets.set(key, b);
  }
  return `{{- /*
Generated from src/rbac/needs.ts by \`deno task helm render\` (scripts/helm/role_template.ts):
do not edit. The same table gives \`mcp-kubernetes-ro --print-rbac\`.
*/}}
{{- if .Values.rbac.create }}
{{- $read := list "get" "list" "watch" }}
{{- $offTools := list }}
{{- range .Values.disabledTools }}{{ $offTools = append $offTools (lower (trim .)) }}{{ end }}
{{- $offResources := list }}
{{- range .Values.disabledResources }}{{ $offResources = append $offResources (lower (trim .)) }}{{ end }}
{{- $r := list }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ include "mcp.fullname" . }}
  labels:
    {{- include "mcp.labels" . | nindent 4 }}
rules:
  # What the enabled tools need and nothing else: get, list and watch on every built-in type
  # by name (RBAC has no deny rule, so "all but Secrets" is a list), Secrets only with
  # rbac.readSecrets, pods/log for get_logs, metrics for the metrics tools, pods/portforward
  # only with portForward.enabled. Custom resources: rbac.extraRules.
${[...buckets.values()].map((b) => bucket(b.group, b.verbs, b.needs)).join("\n")}
  {{- range .Values.rbac.extraRules }}
  {{- range .verbs }}
  {{- if not (has . $read) }}
  {{- fail (printf "rbac.extraRules: verb %q is not allowed; this server only reads (get, list, watch)" .) }}
  {{- end }}
  {{- end }}
  {{- if has "secrets" (default (list) .resources) }}
  {{- if not $.Values.rbac.readSecrets }}
  {{- fail "rbac.extraRules names secrets; set rbac.readSecrets=true to allow reading Secrets" }}
  {{- end }}
  {{- end }}
  - {{- toYaml . | nindent 4 }}
  {{- end }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ include "mcp.fullname" . }}
  labels:
    {{- include "mcp.labels" . | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ include "mcp.fullname" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "mcp.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
`;
}

if (import.meta.main) {
  await Deno.writeTextFile(TEMPLATE_PATH, roleTemplate());
  // deno-lint-ignore no-console
  console.error("wrote deploy/helm/mcp-kubernetes-ro/templates/clusterrole.yaml");
}
