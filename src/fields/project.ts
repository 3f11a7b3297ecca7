// `fields`: kubectl custom-columns paths (`.spec.containers[*].image`, `metadata.labels`,
// `{.status.phase}`), each evaluated on an object that was already redacted, so a Secret's
// `.data` projects as redacted. Evaluation is RFC 9535 JSONPath (jsonpath-rfc9535: a fixed
// grammar, no eval). kubectl's dialect differs from RFC 9535 in small ways: the leading `$` is
// implicit, braces are optional, and a dotted name may hold `-` or `/` (`.metadata.labels.
// pod-template-hash`), which RFC 9535 only takes in brackets. So the short translation below
// (not a JSONPath evaluator: a split of the dotted names into bracket form, brackets passed
// through) is ours; everything after it is the library's. Filters may not call functions:
// RFC 9535's match() and search() run regular expressions, kubectl has none, and the work per
// call must stay bounded.

import { loadJsonPath } from "../deps.ts";
import { ToolError } from "../errors.ts";
import { quote } from "../text/quote.ts";

/** Most paths per call, and the longest path. */
export const MAX_FIELDS = 10;
export const MAX_FIELD_LENGTH = 256;
/** The most projected JSON one call returns; past it the call fails, saying how to narrow. */
export const MAX_PROJECTED_BYTES = 512 * 1024;

export interface FieldPath {
  /** The key in the answer: kubectl's form with a leading dot, without braces. */
  key: string;
  /** The RFC 9535 query. */
  query: string;
  /** Only names and indexes: one value (or null), not a list. */
  singular: boolean;
}

function bad(path: string, why: string): ToolError {
  return new ToolError(
    `fields: ${quote(path)} is not a field path (${why}); write paths as kubectl's ` +
      `custom-columns do, e.g. .spec.containers[*].image, .status.phase, .metadata.labels`,
  );
}

/**
 * The characters of `s` from `start` that are outside quotes, each with the bracket depth after
 * it: what both finding a closing `]` and splitting a comma list need.
 */
function* unquoted(s: string, start = 0): Generator<{ i: number; c: string; depth: number }> {
  let depth = 0;
  let quoteChar = "";
  for (let i = start; i < s.length; i++) {
    const c = s[i]!;
    if (quoteChar) {
      if (c === "\\") i++;
      else if (c === quoteChar) quoteChar = "";
    } else if (c === "'" || c === '"') quoteChar = c;
    else {
      if (c === "[") depth++;
      else if (c === "]") depth--;
      yield { i, c, depth };
    }
  }
}

/** The index just past the `]` that closes the `[` at `start`, quotes and nesting respected. */
function closing(s: string, start: number): number {
  for (const { i, c, depth } of unquoted(s, start)) if (c === "]" && depth === 0) return i + 1;
  return -1;
}

/** Translates one kubectl path; throws a ToolError naming it when it cannot be one. */
export function parseField(raw: string): FieldPath {
  let s = raw.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  if (s.startsWith("$")) s = s.slice(1);
  if (s === "" || s === ".") throw bad(raw, "it names no field");
  if (!s.startsWith(".") && !s.startsWith("[")) s = `.${s}`;
  let query = "$";
  let singular = true;
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("..", i)) {
      query += "..";
      singular = false;
      i += 2;
      if (i === s.length) throw bad(raw, "a name is missing after ..");
      if (s[i] === "[") continue;
    } else if (s[i] === ".") i++;
    else if (s[i] !== "[") throw bad(raw, `unexpected ${quote(s[i]!)} at ${i}`);
    if (s[i] === "[") {
      const end = closing(s, i);
      if (end < 0) throw bad(raw, "a [ is not closed");
      const inner = s.slice(i + 1, end - 1);
      const outsideQuotes = inner.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"/g, "''");
      if (/[A-Za-z_]\w*\s*\(/.test(outsideQuotes)) throw bad(raw, "filters cannot call functions");
      if (/[*:,?]/.test(outsideQuotes)) singular = false;
      query += `[${inner}]`;
      i = end;
      continue;
    }
    const m = /^[^.[\]\s]+/.exec(s.slice(i));
    if (!m) throw bad(raw, `a name is missing at ${i}`);
    if (m[0].includes(",")) throw bad(raw, "a comma outside brackets: one path per item");
    if (m[0] === "*") {
      query += "[*]";
      singular = false;
    } else query += `[${JSON.stringify(m[0])}]`;
    i += m[0].length;
  }
  const key = s.startsWith(".") ? s : `.${s}`;
  return { key, query, singular };
}

/**
 * `fields` as the caller sent it: a list, or one string of paths separated by commas outside
 * brackets and quotes (as kubectl's custom-columns separates its columns).
 */
export function fieldList(fields: string | readonly string[] | undefined): string[] {
  if (fields === undefined) return [];
  if (typeof fields !== "string") return [...fields];
  const out: string[] = [];
  let start = 0;
  for (const { i, c, depth } of unquoted(fields)) {
    if (c === "," && depth === 0) {
      out.push(fields.slice(start, i));
      start = i + 1;
    }
  }
  out.push(fields.slice(start));
  return out.filter((f) => f.trim() !== "");
}

export interface Projector {
  keys: string[];
  /** The paths' values on one object, in the order asked. */
  project(obj: unknown): unknown[];
}

/** Checks every path (parsing each with the library) before any object is read. */
export async function projector(fields: readonly string[]): Promise<Projector> {
  if (fields.length > MAX_FIELDS) {
    throw new ToolError(`fields: at most ${MAX_FIELDS} paths (got ${fields.length})`);
  }
  const paths = fields.map(parseField);
  const { query } = await loadJsonPath();
  for (const [n, p] of paths.entries()) {
    try {
      query({}, p.query);
    } catch (e) {
      throw bad(fields[n]!, e instanceof Error ? e.message : String(e));
    }
  }
  let bytes = 0;
  return {
    keys: paths.map((p) => p.key),
    project(obj) {
      const values = paths.map((p) => {
        const found = query(obj as never, p.query);
        return p.singular ? (found[0] ?? null) : found;
      });
      bytes += JSON.stringify(values).length;
      if (bytes > MAX_PROJECTED_BYTES) {
        throw new ToolError(
          `fields: the projected values exceed ${MAX_PROJECTED_BYTES / 1024} KiB; pass limit ` +
            "(and continue) or narrower paths",
        );
      }
      return values;
    },
  };
}
