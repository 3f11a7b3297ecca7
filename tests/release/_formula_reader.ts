// A strict reader of the Ruby subset scripts/release/formula.ts writes, so the formula is checked
// on machines without Ruby (the README's test command needs only Node.js and Go). It reports
// what the Homebrew DSL stub in formula_test.ts reports when Ruby runs the file: the fields, the
// url/sha256 per OS and CPU, what `install` installs and whether there is a test block. Any line
// outside that subset, an unbalanced `do`/`end`, or a string literal Ruby would read differently
// (an unescaped `"`, a `#{` interpolation) is an error: ruby -c, where Ruby exists, checks the
// rest. Written by hand because no npm package parses Ruby.

export interface FormulaReading {
  className: string;
  fields: Record<string, string>;
  platforms: Record<string, { url?: string; sha256?: string }>;
  installed: string[];
  test: string | null;
}

/** Reads one double-quoted Ruby literal that must not interpolate; returns its value. */
export function rubyString(literal: string): string {
  const m = /^"((?:[^"\\#]|\\[\\"#])*)"$/.exec(literal);
  if (!m) throw new Error(`not a plain double-quoted Ruby string: ${literal}`);
  return m[1]!.replace(/\\([\\"#])/g, "$1");
}

const BLOCKS: Record<string, [string, string]> = {
  on_macos: ["os", "darwin"],
  on_linux: ["os", "linux"],
  on_arm: ["cpu", "arm64"],
  on_intel: ["cpu", "x86_64"],
};

export function readFormula(text: string): FormulaReading {
  const lines = text.split("\n");
  const reading: FormulaReading = {
    className: "",
    fields: {},
    platforms: {},
    installed: [],
    test: null,
  };
  const stack: string[] = [];
  let os: string | undefined;
  let cpu: string | undefined;
  let testBody: string[] | null = null;
  lines.forEach((raw, i) => {
    const fail = (why: string): never => {
      throw new Error(`formula line ${i + 1}: ${why}: ${raw}`);
    };
    const line = raw.trim();
    if (testBody !== null) {
      if (line === "end" && raw === "  end") {
        reading.test = testBody.join("\n").trim();
        testBody = null;
        stack.pop();
      } else testBody.push(raw);
      return;
    }
    if (line === "" || line.startsWith("#")) return;
    const top = stack.at(-1);
    if (line === "end") {
      if (!top) fail("`end` without an open block");
      const block = stack.pop()!;
      if (BLOCKS[block]?.[0] === "os") os = undefined;
      if (BLOCKS[block]?.[0] === "cpu") cpu = undefined;
      return;
    }
    const cls = /^class ([A-Z]\w*) < Formula$/.exec(line);
    if (cls) {
      if (top) fail("class inside a block");
      reading.className = cls[1]!;
      stack.push("class");
      return;
    }
    if (top === undefined) return fail("statement outside the class");
    const block = /^(on_macos|on_linux|on_arm|on_intel) do$/.exec(line);
    if (block) {
      const [kind, value] = BLOCKS[block[1]!]!;
      if (kind === "os" ? top !== "class" : !top.startsWith("on_")) fail("misplaced block");
      if (kind === "os") os = value;
      else cpu = value;
      stack.push(block[1]!);
      return;
    }
    if (line === "def install") {
      if (top !== "class") fail("misplaced def");
      stack.push("install");
      return;
    }
    if (line === "test do") {
      if (top !== "class") fail("misplaced test block");
      stack.push("test");
      testBody = [];
      return;
    }
    const call = /^(desc|homepage|version|license|url|sha256|bin\.install) (".*")$/.exec(line);
    if (!call) return fail("not in the formula subset this reader accepts");
    const [, name, literal] = call as unknown as [string, string, string];
    let value = "";
    try {
      value = rubyString(literal);
    } catch (e) {
      fail((e as Error).message);
    }
    if (name === "bin.install") {
      if (top !== "install") fail("bin.install outside def install");
      reading.installed.push(value);
    } else if (name === "url" || name === "sha256") {
      if (!os || !cpu) fail(`${name} outside an on_<os>/on_<cpu> block`);
      (reading.platforms[`${os}/${cpu}`] ??= {})[name] = value;
    } else {
      if (top !== "class") fail(`${name} inside a block`);
      reading.fields[name] = value;
    }
  });
  if (testBody !== null) throw new Error("formula: the test block is not closed");
  if (stack.length > 0) throw new Error(`formula: unclosed block(s): ${stack.join(", ")}`);
  if (!reading.className) throw new Error("formula: no `class ... < Formula`");
  return reading;
}
