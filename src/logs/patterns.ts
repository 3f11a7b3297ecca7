// grep_include / grep_exclude: comma-separated patterns, literal or regular expressions.

import { loadRe2js } from "../deps.ts";
import { PatternError } from "../errors.ts";
import { quote } from "../text/quote.ts";

/**
 * True when a line matches. `needles`, when present, are literal strings such that a line
 * matches only if it contains one of them: the log filter uses them to skip, in one search over
 * a chunk, the lines that cannot match (src/logs/filter.ts).
 */
export type Matcher = ((line: string) => boolean) & { needles?: readonly string[] };

function literal(needles: string[]): Matcher {
  const m: Matcher = (line) => needles.some((p) => line.includes(p));
  m.needles = needles;
  return m;
}

/**
 * Splits on commas. In regex mode a comma inside (), [] or {} belongs to the pattern, so
 * `a{1,3}` survives; `\,` is a literal comma in either mode. Empty pieces are dropped: a stray
 * comma must not add a pattern that matches every line.
 */
export function splitPatterns(text: string | undefined, regex: boolean): string[] {
  if (!text) return [];
  const out: string[] = [];
  let cur = "";
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && text[i + 1] === ",") {
      cur += regex ? "\\," : ",";
      i++;
      continue;
    }
    if (ch === "\\" && regex && i + 1 < text.length) {
      cur += ch + text[++i];
      continue;
    }
    if (regex && "([{".includes(ch)) depth++;
    if (regex && ")]}".includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out.filter((p) => p !== "");
}

/**
 * Regexes run on RE2 (re2js, a pure JavaScript port): matching takes time linear in the line,
 * so a pattern such as (.+)+! cannot hold the event loop as a backtracking engine would, and the
 * syntax is the Go server's. Loaded on first use only: most calls never ask for a regex.
 */
let engine: ReturnType<typeof loadRe2js> | undefined;
const loadEngine = () => engine ??= loadRe2js();

function compile(re2: Awaited<ReturnType<typeof loadRe2js>>, pattern: string, which: string) {
  try {
    const re = re2.RE2JS.compile(pattern);
    return (line: string) => re.test(line);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    throw new PatternError(
      `invalid ${which} regex ${quote(pattern)}: ${quote(why, 120).slice(1, -1)}. Patterns use ` +
        "RE2 syntax (as Go does): no backreferences or lookaround; (?i) ignores case",
    );
  }
}

/**
 * The literal alternatives of a pattern that is nothing but literal text and `|` (FATAL|PANIC,
 * a common question), else undefined. Matching those with includes() is exactly what RE2 would
 * answer, at a fraction of its cost in JavaScript.
 */
export function literalAlternatives(pattern: string): string[] | undefined {
  if (!/^[A-Za-z0-9 _\-:=/'"<>@#&~`;|]+$/.test(pattern)) return undefined;
  const parts = pattern.split("|");
  // An empty alternative matches every line; let RE2 say so.
  return parts.every((p) => p !== "") ? parts : undefined;
}

/** One matcher that is true when any pattern matches; undefined when there are none. */
export async function anyOf(
  patterns: string[],
  regex: boolean,
  which: string,
): Promise<Matcher | undefined> {
  if (patterns.length === 0) return undefined;
  if (!regex) return literal(patterns);
  const literals = patterns.map(literalAlternatives);
  if (literals.every((l) => l !== undefined)) return literal(literals.flat());
  const re2 = await loadEngine();
  const matchers = patterns.map((p, i) => {
    const plain = literals[i];
    return plain ? (line: string) => plain.some((l) => line.includes(l)) : compile(re2, p, which);
  });
  return (line) => matchers.some((m) => m(line));
}
