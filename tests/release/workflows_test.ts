// The GitHub workflows parse as YAML and run what the release depends on. YAML is read with the
// `yaml` npm package (YAML 1.2, as GitHub Actions reads it), so no Ruby is needed.

import assert from "node:assert/strict";
import { parse } from "npm:yaml@2.9.1";
import { REPO_ROOT } from "./_helpers.ts";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; needs?: string | string[] }>;
}

export async function loadWorkflow(name: string): Promise<Workflow> {
  const text = await Deno.readTextFile(`${REPO_ROOT}/.github/workflows/${name}`);
  return parse(text, { strict: true, uniqueKeys: true }) as Workflow;
}
const load = loadWorkflow;

const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const runs = (w: Workflow) => steps(w).map((s) => s.run ?? "").join("\n");

Deno.test("ci.yml: every push and PR runs the README's test command after the testenv", async () => {
  const ci = await load("ci.yml");
  assert.ok("push" in ci.on && "pull_request" in ci.on);
  const commands = steps(ci).map((s) => s.run?.trim());
  const up = commands.indexOf("npx -y deno@2.9.6 task testenv up");
  const test = commands.indexOf("npx -y deno@2.9.6 task test");
  assert.ok(up >= 0 && test > up, JSON.stringify(commands));
  const go = steps(ci).find((s) => s.uses?.startsWith("actions/setup-go@"));
  assert.equal(go?.with?.["go-version"], "1.26");
  assert.match(runs(ci), /apt-get install -y --no-install-recommends ruby unzip/);
  // and the tests that need them may not be skipped there.
  const env = (ci.jobs.test as unknown as { env?: Record<string, string> }).env;
  assert.equal(env?.MCP_REQUIRE_TOOLS, "ruby,unzip");
});

Deno.test("release.yml: a v* tag builds, verifies, publishes and updates the tap", async () => {
  const rel = await load("release.yml");
  assert.deepEqual(rel.on, { push: { tags: ["v*"] } });
  assert.match(runs(rel), /npx -y deno@2\.9\.6 task release/);
  assert.match(runs(rel), /sha256sum --strict -c checksums\.txt/);
  assert.match(runs(rel), /gh release create "\$GITHUB_REF_NAME" "\$\{files\[@\]\}"/);
  assert.match(runs(rel), /files=\(dist\/\*\.tar\.gz dist\/\*\.zip dist\/checksums\.txt\)/);
  assert.deepEqual(rel.jobs.publish?.needs, "verify");
  assert.deepEqual(rel.jobs.verify?.needs, "build");
  const tap = steps(rel).find((s) => s.env?.TAP_TOKEN !== undefined);
  assert.equal(tap?.env?.TAP_TOKEN, "${{ secrets.HOMEBREW_TAP_TOKEN }}");
  assert.match(tap?.run ?? "", /if \[ -z "\$TAP_TOKEN" \]; then\n\s+echo "::notice /);
  assert.match(tap?.run ?? "", /homebrew-tap\.git/);
});

Deno.test("release.yml: the tag also publishes the npm package and a multi-arch image", async () => {
  const rel = await load("release.yml");
  assert.deepEqual(rel.jobs.npm?.needs, "verify");
  assert.deepEqual(rel.jobs.image?.needs, "verify");
  const npm = (rel.jobs.npm?.steps ?? []).map((s) => s.run ?? "").join("\n");
  assert.match(npm, /npx -y deno@2\.9\.6 task npm-pack/);
  assert.match(npm, /npx mcp-kubernetes-ro-deno --version/);
  assert.match(npm, /npm publish dist\/npm\/mcp-kubernetes-ro-deno-\*\.tgz/);
  const image = (rel.jobs.image?.steps ?? []).map((s) => s.run ?? "").join("\n");
  assert.match(image, /task npm-pack --no-pack/);
  assert.match(image, /--platform linux\/amd64,linux\/arm64/);
  assert.match(image, /-f Dockerfile dist\/npm\/package/);
  // Both check the shipped --version against the tag before publishing.
  for (const text of [npm, image]) {
    assert.match(text, /want="mcp-kubernetes-ro \$\{GITHUB_REF_NAME#v\}"/);
  }
});
