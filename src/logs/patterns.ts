// grep_include / grep_exclude: comma-separated patterns, literal or regular expressions.

import { ToolError } from "../mcp/result.ts";

export type Matcher = (line: string) => boolean;

/** Bad input from the model: shown to it as a tool error. */
export class PatternError extends ToolError {
  override name = "PatternError";
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

function compile(pattern: string, which: string): Matcher {
  // RE2's leading (?i) is common in Go-minded prompts; JavaScript spells it as a flag.
  const insensitive = /^\(\?i\)/.exec(pattern);
  const source = insensitive ? pattern.slice(4) : pattern;
  try {
    const re = new RegExp(source, insensitive ? "i" : "");
    return (line) => re.test(line);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, "") : e;
    throw new PatternError(`invalid ${which} regex "${pattern}": ${why}`);
  }
}

/** One matcher that is true when any pattern matches; undefined when there are none. */
export function anyOf(patterns: string[], regex: boolean, which: string): Matcher | undefined {
  if (patterns.length === 0) return undefined;
  const matchers = patterns.map((p) => regex ? compile(p, which) : (l: string) => l.includes(p));
  return (line) => matchers.some((m) => m(line));
}
