// The API server's Table printing (as=Table) made compact for a model: kubectl get's default
// (priority 0) columns, or the wide set; header names once, rows as arrays. Identity comes from
// each row's object (the NAME cell may differ: a StorageClass's reads "standard (default)"), and
// a column that only repeats the name or namespace is dropped. Pure.

import type { KubeObject, TableColumn } from "../kube/types.ts";

export interface CompactTable {
  /** "name" (and "namespace"), then the server's columns in its order, lower-case. */
  columns: string[];
  rows: unknown[][];
}

export interface CompactOptions {
  /** kubectl -o wide: every column, not only priority 0. */
  wide: boolean;
  /** Add each row's namespace (the list spans namespaces). */
  withNamespace: boolean;
  /** Leave out the name (events: kubectl shows it only in wide output, as a column). */
  withName: boolean;
}

/** "Last Seen" → "last_seen", "Up-to-date" → "up-to-date": kubectl's header, lower-case. */
export function columnKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, "_");
}

const meta = (o: KubeObject, key: "name" | "namespace"): string => String(o.metadata?.[key] ?? "");

export function compactTable(
  columns: readonly TableColumn[],
  rows: readonly { cells: readonly unknown[]; object: KubeObject }[],
  opts: CompactOptions,
): CompactTable {
  const identity: ("name" | "namespace")[] = [
    ...(opts.withName ? ["name" as const] : []),
    ...(opts.withNamespace ? ["namespace" as const] : []),
  ];
  // Only a column that repeats an identity column shown: events keep their Name (wide).
  const repeats = (i: number) =>
    identity.length > 0 &&
    (rows.length === 0
      ? opts.withName && columns[i]!.format === "name"
      : rows.every((r) => identity.some((k) => r.cells[i] === meta(r.object, k))));
  const kept = columns.map((c, i) => ({ c, i }))
    .filter(({ c, i }) => (opts.wide || c.priority === 0) && !repeats(i));
  const keys: string[] = [...identity];
  for (const { c } of kept) {
    const key = columnKey(c.name);
    keys.push(keys.includes(key) ? `${key}_${keys.length}` : key);
  }
  return {
    columns: keys,
    rows: rows.map((r) => [
      ...identity.map((k) => meta(r.object, k)),
      ...kept.map(({ i }) => r.cells[i] ?? null),
    ]),
  };
}
