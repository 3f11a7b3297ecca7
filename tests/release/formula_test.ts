// The Homebrew formula: each OS and CPU gets its own archive URL and checksum. Checked twice:
// by a strict TypeScript reader of the formula's Ruby subset (always, so the README's test
// command needs no Ruby), and, where Ruby is on PATH (required in .ci/run), by ruby -c and by
// evaluating it against a small stand-in of Homebrew's DSL.

import assert from "node:assert/strict";
import { className, releaseUrl, renderFormula } from "../../scripts/release/formula.ts";
import { archiveName, TARGETS } from "../../scripts/release/targets.ts";
import { run, withTempDir } from "./_helpers.ts";
import { readFormula, rubyString } from "./_formula_reader.ts";
import { toolTest } from "../_helpers/tools.ts";

function fakeSums(): Map<string, string> {
  // A distinct checksum per archive, so a swapped block shows.
  return new Map(TARGETS.map((t, i) => [archiveName(t), String(i + 1).repeat(64)]));
}

const input = { version: "0.1.0", repo: "acme/mcp-kubernetes-ro", sums: fakeSums() };

// Just enough of Homebrew's Formula DSL to record which url/sha256 each platform gets.
const DSL_STUB = `
require "json"
# Globals, not class instance variables: the formula is a subclass of Formula.
$os = nil; $cpu = nil; $fields = {}; $platforms = {}; $test = nil
class Formula
  class << self
    %i[desc homepage version license].each do |m|
      define_method(m) { |v| $fields[m] = v }
    end
    def on_macos; $os = "darwin"; yield; $os = nil; end
    def on_linux; $os = "linux"; yield; $os = nil; end
    def on_arm; $cpu = "arm64"; yield; $cpu = nil; end
    def on_intel; $cpu = "x86_64"; yield; $cpu = nil; end
    def url(u); ($platforms["#{$os}/#{$cpu}"] ||= {})["url"] = u; end
    def sha256(s); ($platforms["#{$os}/#{$cpu}"] ||= {})["sha256"] = s; end
    def test(&block); $test = block; end
  end
end
load ARGV[0]
installed = []
bin_stub = Object.new
bin_stub.define_singleton_method(:install) { |*names| installed.concat(names) }
formula = Object.const_get(ARGV[1]).new
formula.define_singleton_method(:bin) { bin_stub }
formula.install
puts JSON.generate({ fields: $fields, platforms: $platforms, installed: installed,
  test: $test ? "present" : nil })
`;

Deno.test("className follows Homebrew's rule", () => {
  assert.equal(className("mcp-kubernetes-ro"), "McpKubernetesRo");
});

toolTest("formula: ruby -c accepts it", ["ruby"], async () => {
  const ruby = "ruby";
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/mcp-kubernetes-ro.rb`, renderFormula(input));
    const r = await run(ruby, ["-c", `${dir}/mcp-kubernetes-ro.rb`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Syntax OK/);
  });
});

function expectedReading(got: { fields: unknown; platforms: unknown; installed: unknown }) {
  assert.deepEqual(got.fields, {
    desc: "Read-only Kubernetes MCP server for AI assistants",
    homepage: "https://github.com/acme/mcp-kubernetes-ro",
    version: "0.1.0",
    license: "MIT",
  });
  const expected: Record<string, { url: string; sha256: string }> = {};
  for (const t of TARGETS.filter((t) => t.os !== "windows")) {
    expected[`${t.os}/${t.arch}`] = {
      url: releaseUrl("acme/mcp-kubernetes-ro", "0.1.0", archiveName(t)),
      sha256: input.sums.get(archiveName(t))!,
    };
  }
  assert.deepEqual(got.platforms, expected);
  assert.equal(
    expected["darwin/arm64"]!.url,
    "https://github.com/acme/mcp-kubernetes-ro/releases/download/v0.1.0/mcp-kubernetes-ro_darwin_arm64.tar.gz",
  );
  assert.deepEqual(got.installed, ["mcp-kubernetes-ro"]);
}

Deno.test("formula (read without Ruby): each OS and CPU gets its own archive URL and checksum", () => {
  const got = readFormula(renderFormula(input));
  assert.equal(got.className, className("mcp-kubernetes-ro"));
  expectedReading(got);
  assert.ok(got.test?.includes("--version"));
});

Deno.test("formula reader: refuses what it cannot vouch for", () => {
  const good = renderFormula(input);
  const broken = [
    good.replace("  end\n\n  on_linux", "\n  on_linux"), // an unclosed block
    good.replace('version "0.1.0"', 'version "0.#{1}"'), // interpolation
    good.replace('license "MIT"', 'license "M"IT"'), // a stray quote
    good.replace("  def install", '  system "rm"\n  def install'), // an unknown statement
    good.replace(/ {6}url .*\n/, ""), // fine for the reader, but a platform loses its url
  ];
  for (const text of broken.slice(0, 4)) assert.throws(() => readFormula(text), /formula/);
  assert.throws(() => expectedReading(readFormula(broken[4]!)));
  assert.equal(rubyString('"a\\#b\\"c"'), 'a#b"c');
});

toolTest("formula (ruby): each OS and CPU gets its own archive URL and checksum", [
  "ruby",
], async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/f.rb`, renderFormula(input));
    await Deno.writeTextFile(`${dir}/stub.rb`, DSL_STUB);
    const r = await run("ruby", [`${dir}/stub.rb`, `${dir}/f.rb`, "McpKubernetesRo"]);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout);
    expectedReading(got);
    assert.equal(got.test, "present");
  });
});

Deno.test("formula: the test block runs --version and asserts the version", () => {
  const text = renderFormula(input);
  const test = / {2}test do\n([\s\S]*?)\n {2}end\n/.exec(text)?.[1];
  assert.equal(
    test?.trim(),
    'assert_match "mcp-kubernetes-ro #{version}", shell_output("#{bin}/mcp-kubernetes-ro --version")',
  );
});

Deno.test("formula: a missing macOS or Linux checksum is an error, a missing Windows one is not", () => {
  const noWindows = new Map([...input.sums].filter(([name]) => !name.includes("windows")));
  assert.doesNotThrow(() => renderFormula({ ...input, sums: noWindows }));
  const noLinuxArm = new Map([...input.sums].filter(([name]) => !name.includes("linux_arm64")));
  assert.throws(
    () => renderFormula({ ...input, sums: noLinuxArm }),
    /no checksum for mcp-kubernetes-ro_linux_arm64\.tar\.gz/,
  );
});

Deno.test("formula: a repository that is not owner/name is refused (no Ruby injection)", () => {
  for (const repo of ['a/b"; system("x', "a/b/c", "nobody", "a/#{b}"]) {
    assert.throws(() => renderFormula({ ...input, repo }), /not owner\/name/, repo);
  }
});
