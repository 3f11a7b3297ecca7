// What an adaptive plan reads from an answer before its next call, as a model would: the objects
// a list names, and the rows of a kubectl-style table. Pure; tolerant of every server's shape
// (JSON items with name or metadata.name; an aligned text table with a NAME column).

export interface Listed {
  name: string;
  namespace?: string;
  /** The row's cells by column header (tables only). */
  cells?: Record<string, string>;
}

/** Rows of an aligned text table (kubectl's printer): cells by header, cut at the header's columns. */
export function tableRows(text: string): Record<string, string>[] {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const at = lines.findIndex((l) => /(^|\s)NAME(\s|$)/.test(l));
  if (at < 0) return [];
  const header = lines[at]!;
  const cols = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ key: m[0], start: m.index! }));
  return lines.slice(at + 1).map((line) =>
    Object.fromEntries(cols.map((c, i) => {
      const end = i + 1 < cols.length ? cols[i + 1]!.start : line.length;
      return [c.key, line.slice(c.start, end).trim()];
    }))
  );
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : null;
}

function fromJson(doc: unknown): Listed[] | null {
  const root = asRecord(doc);
  const items = root?.items;
  if (!Array.isArray(items)) return null;
  const out: Listed[] = [];
  for (const item of items) {
    if (typeof item === "string") {
      out.push({ name: item });
      continue;
    }
    const rec = asRecord(item);
    if (!rec) continue;
    const meta = asRecord(rec.metadata);
    const name = rec.name ?? meta?.name;
    const namespace = rec.namespace ?? meta?.namespace;
    if (typeof name === "string") {
      out.push({ name, ...(typeof namespace === "string" ? { namespace } : {}) });
    }
  }
  return out;
}

/** The objects a list answer names, in its order. */
export function listed(text: string): Listed[] {
  try {
    const json = fromJson(JSON.parse(text));
    if (json) return json;
  } catch {
    // Not JSON: a table.
  }
  return tableRows(text).filter((r) => r.NAME).map((cells) => ({
    name: cells.NAME!,
    ...(cells.NAMESPACE ? { namespace: cells.NAMESPACE } : {}),
    cells,
  }));
}

/** Like listed(), but a list that names nothing is an error: the plan cannot go on. */
export function mustList(text: string, what: string): Listed[] {
  const items = listed(text);
  if (items.length === 0) throw new Error(`no ${what} could be read from: ${text.slice(0, 200)}`);
  return items;
}
