// README.md's tools, prompts, flags and environment tables are generated from the code
// (scripts/readme.ts): this fails when they are stale. Fix with: deno task readme

import assert from "node:assert/strict";
import { README, render } from "../scripts/readme.ts";

Deno.test("README.md's generated tables match the tool and prompt registries and FLAGS", async () => {
  const current = await Deno.readTextFile(README);
  assert.ok(current.includes("<!-- generated:tools -->"), "README.md lost its tools markers");
  assert.ok(current.includes("<!-- generated:prompts -->"), "README.md lost its prompts markers");
  assert.equal(current, await render(current), "README.md is stale: run deno task readme");
});

Deno.test("the README generator fills each marked part from the code", async () => {
  const stale = "# T\n\n<!-- generated:tools -->\n\nSTALE-ROW\n\n<!-- /generated:tools -->\n\n" +
    "<!-- generated:prompts -->\n<!-- /generated:prompts -->\n\n" +
    "<!-- generated:flags -->\n<!-- /generated:flags -->\n\n<!-- generated:env -->\n" +
    "<!-- /generated:env -->\n";
  const fresh = await render(stale);
  assert.ok(!fresh.includes("STALE-ROW"));
  assert.match(fresh, /\| `get_logs` +\| always +\|/);
  assert.match(fresh, /\| `save_secret_to_file` +\| secret access `file` +\|/);
  assert.match(
    fresh,
    /\| `diagnose_workload` +\| .+ \| \*\*`namespace`\*\*, \*\*`name`\*\*, `kind`/,
  );
  assert.match(fresh, /\| `--kubeconfig PATH` +\|/);
  assert.match(fresh, /\| `MCP_KUBERNETES_RO_QPS` +\| `--qps`, when the flag is not given\. +\|/);
  await assert.rejects(render("# no markers\n"), /lacks <!-- generated:tools -->/);
  await assert.rejects(
    render(stale + "<!-- generated:nothing -->\n<!-- /generated:nothing -->\n"),
    /no generator for README part\(s\): nothing/,
  );
});
