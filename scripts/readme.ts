// The README's generated parts, from the code: the tools table from the tool registry, the prompts
// table from the prompt registry, the flags and environment tables from FLAGS and ENV_VARS. Each lives between `<!-- generated:NAME -->` and
// `<!-- /generated:NAME -->`; a new part is one SECTIONS line (and its markers in README.md).
// `deno task readme` rewrites README.md; `--check` exits 1 when it is stale, and
// tests/readme_test.ts runs that check in the test task.

import { fileURLToPath } from "node:url";
import { ENV_VARS, FLAGS, type FlagSpec } from "../src/config/schema.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { toolSettings } from "../src/mcp/define_tool.ts";
import { PROMPTS } from "../src/prompts/registry.ts";
import { CATALOGUE } from "../src/tools/registry.ts";
import { z } from "../src/deps.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const README = `${ROOT}README.md`;

export const SECTIONS: Record<string, () => string> = {
  tools: toolsTable,
  prompts: promptsTable,
  flags: flagsTable,
  env: envTable,
};

/** Environment variables that set no flag of their own, with what they do. */
const OTHER_ENV: Record<string, string> = {
  HOME: "Where `~/.kube/config` is, when neither `--kubeconfig` nor `KUBECONFIG` is given.",
  USERPROFILE: "`HOME` on Windows.",
  KUBERNETES_SERVICE_HOST: "In a pod with no kubeconfig: the API server of the in-cluster " +
    "configuration (with the ServiceAccount's token, CA and namespace).",
  KUBERNETES_SERVICE_PORT: "Its port.",
  TMPDIR: "Where `save_secret_to_file` makes its folders, when the server may write there; " +
    "else `/tmp`.",
  DENO_V8_FLAGS: "Deno's V8 flags. The npm package and the image set `--max-old-space-size` here " +
    "from the memory budget (half of it); one you set yourself is kept.",
};

/** Variables whose relation to their flag is not "used when the flag is not given". */
const ENV_NOTES: Record<string, string> = {
  MCP_KUBERNETES_RO_DISABLED_RESOURCES: "Added to `--disabled-resources` (the union of both: a " +
    "block set here cannot be lifted by a flag).",
};

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const code = (text: string) => `\`${text}\``;

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

function toolsTable(): string {
  const settings = toolSettings(resolveConfig({ flags: {}, env: {} }).config);
  const rows = CATALOGUE.flatMap(({ tools, when }) =>
    tools.map((t) => {
      const description = typeof t.description === "function"
        ? t.description(settings)
        : t.description;
      return [code(t.name), when, description, parameters(t.input)];
    })
  );
  return table(["Tool", "Offered", "What it does", "Parameters (required in bold)"], rows);
}

/** Names of a zod shape's fields, the required ones in bold. */
function parameters(shape: z.ZodRawShape): string {
  return Object.entries(shape).map(([name, schema]) =>
    z.safeParse(schema, undefined).success ? code(name) : `**${code(name)}**`
  ).join(", ");
}

function promptsTable(): string {
  const rows = PROMPTS.map((p) => [
    code(p.name),
    p.description,
    parameters(p.args),
    [...p.tools.map(code), ...(p.optionalTools ?? []).map((t) => `${code(t)} (if enabled)`)]
      .join(", "),
  ]);
  return table(["Prompt", "What it does", "Arguments (required in bold)", "Tools it uses"], rows);
}

const flagLabel = (f: FlagSpec) => `--${f.name}${f.value ? ` ${f.value}` : ""}`;

function flagsTable(): string {
  return table(
    ["Flag", "Default", "Environment", "Meaning"],
    FLAGS.map((f) => [
      code(flagLabel(f)),
      f.default ?? "",
      (f.env ?? []).map(code).join(", then "),
      f.help,
    ]),
  );
}

function envTable(): string {
  const rows: string[][] = [];
  for (const f of FLAGS) {
    (f.env ?? []).forEach((name, i) => {
      const before = [`--${f.name}`, ...(f.env ?? []).slice(0, i)].map(code);
      const when = before.length === 1
        ? "when the flag is not given"
        : `when none of ${before.join(", ")} is given`;
      const sets = f.kind === "boolean"
        ? `\`true\`, \`1\` or \`yes\` (any case) acts as ${code(`--${f.name}`)}, ${when}.`
        : `${code(`--${f.name}`)}, ${when}.`;
      rows.push([code(name), ENV_NOTES[name] ?? sets]);
    });
  }
  const documented = new Set(rows.map((r) => r[0]!.slice(1, -1)));
  for (const name of ENV_VARS) {
    if (documented.has(name)) continue;
    const meaning = OTHER_ENV[name];
    if (!meaning) throw new Error(`${name} is in ENV_VARS but not documented in scripts/readme.ts`);
    rows.push([code(name), meaning]);
  }
  return table(["Variable", "Meaning"], rows);
}

/** README text with every generated part rewritten, formatted as `deno fmt` leaves it. */
export async function render(readme: string): Promise<string> {
  let text = readme;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README.md lacks ${open} … ${close}`);
    text = `${text.slice(0, start + open.length)}\n\n${make()}\n\n${text.slice(end)}`;
  }
  const unknown = [...text.matchAll(/<!-- generated:([\w-]+) -->/g)]
    .map((m) => m[1]!)
    .filter((name) => !(name in SECTIONS));
  if (unknown.length) throw new Error(`no generator for README part(s): ${unknown.join(", ")}`);
  return await format(text);
}

async function format(markdown: string): Promise<string> {
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--config", `${ROOT}deno.json`, "--ext", "md", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(new TextEncoder().encode(markdown));
  await writer.close();
  const { success, stdout, stderr } = await fmt.output();
  if (!success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

if (import.meta.main) {
  const current = await Deno.readTextFile(README);
  const next = await render(current);
  if (Deno.args.includes("--check")) {
    if (next !== current) {
      // deno-lint-ignore no-console
      console.error("README.md's generated tables are stale: run deno task readme");
      Deno.exit(1);
    }
  } else if (next !== current) {
    await Deno.writeTextFile(README, next);
    // deno-lint-ignore no-console
    console.error("README.md: generated tables rewritten");
  }
}
