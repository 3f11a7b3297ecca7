// deno task helm build | render | lint
//   build:  build helm once into the cache and print its path
//   render: write the chart's ClusterRole from src/rbac/needs.ts, then deploy/manifests/*.yaml
//           from the chart (commit them)
//   lint:   helm lint the chart with the default and passthrough values

import { join } from "node:path";
import { CHART_DIR, ensureHelm, helm, MANIFESTS_DIR, render, RENDERINGS } from "./helm.ts";
import { roleTemplate, TEMPLATE_PATH } from "./role_template.ts";

// deno-lint-ignore no-console
const say = (m: string) => console.error(m);

const cmd = Deno.args[0] ?? "render";
if (cmd === "build") {
  // deno-lint-ignore no-console
  console.log(await ensureHelm(say));
} else if (cmd === "render") {
  await Deno.writeTextFile(TEMPLATE_PATH, roleTemplate());
  say("wrote deploy/helm/mcp-kubernetes-ro/templates/clusterrole.yaml from src/rbac/needs.ts");
  await ensureHelm(say);
  await Deno.mkdir(MANIFESTS_DIR, { recursive: true });
  for (const r of RENDERINGS) {
    const head = `# ${r.title}. Rendered from deploy/helm/mcp-kubernetes-ro by ` +
      `\`deno task helm render\`; do not edit. Namespace: mcp-kubernetes-ro (create it first).\n`;
    await Deno.writeTextFile(join(MANIFESTS_DIR, r.file), head + await render(r.values));
    say(`wrote deploy/manifests/${r.file}`);
  }
} else if (cmd === "lint") {
  await ensureHelm(say);
  for (const values of [[], ["values-passthrough.yaml"]]) {
    const r = await helm(["lint", CHART_DIR, ...values.flatMap((v) => ["-f", join(CHART_DIR, v)])]);
    say(r.stdout + r.stderr);
    if (r.code !== 0) Deno.exit(1);
  }
} else {
  say(`unknown command "${cmd}": use build, render or lint`);
  Deno.exit(2);
}
