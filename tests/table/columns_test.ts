import assert from "node:assert/strict";
import { columnKey, compactTable } from "../../src/table/columns.ts";
import type { TableColumn } from "../../src/kube/types.ts";

const col = (name: string, priority = 0, format?: string): TableColumn => ({
  name,
  type: "string",
  priority,
  ...(format ? { format } : {}),
});
const obj = (name: string, namespace?: string) => ({ metadata: { name, namespace } });

Deno.test("columnKey: kubectl's header in lower case, spaces as _", () => {
  assert.deepEqual(
    ["Last Seen", "Up-to-date", "NAME", "Nominated Node", "Port(s)"].map(columnKey),
    ["last_seen", "up-to-date", "name", "nominated_node", "port(s)"],
  );
});

Deno.test("compactTable: priority 0 unless wide; the Name cell that repeats the name goes", () => {
  const columns = [col("Name", 0, "name"), col("Ready"), col("IP", 1)];
  const rows = [{ cells: ["a", "1/1", "10.0.0.1"], object: obj("a", "ns") }];
  assert.deepEqual(
    compactTable(columns, rows, { wide: false, withNamespace: false, withName: true }),
    {
      columns: ["name", "ready"],
      rows: [["a", "1/1"]],
    },
  );
  assert.deepEqual(
    compactTable(columns, rows, { wide: true, withNamespace: true, withName: true }),
    { columns: ["name", "namespace", "ready", "ip"], rows: [["a", "ns", "1/1", "10.0.0.1"]] },
  );
});

Deno.test("compactTable: a Name cell that says more stays (StorageClass default)", () => {
  const columns = [col("Name", 0, "name"), col("Provisioner")];
  const rows = [
    { cells: ["standard (default)", "x"], object: obj("standard") },
    { cells: ["fast", "y"], object: obj("fast") },
  ];
  const t = compactTable(columns, rows, { wide: false, withNamespace: false, withName: true });
  assert.deepEqual(t.columns, ["name", "name_1", "provisioner"]);
  assert.deepEqual(t.rows[0], ["standard", "standard (default)", "x"]);
});

Deno.test("compactTable: events without their name keep the wide Name column", () => {
  const columns = [col("Reason"), col("Name", 1, "name")];
  const rows = [{ cells: ["BackOff", "crashloop.1"], object: obj("crashloop.1") }];
  assert.deepEqual(
    compactTable(columns, rows, { wide: true, withNamespace: false, withName: false }),
    { columns: ["reason", "name"], rows: [["BackOff", "crashloop.1"]] },
  );
  assert.deepEqual(
    compactTable(columns, [], { wide: false, withNamespace: false, withName: true }).columns,
    ["name", "reason"],
  );
});

Deno.test("compactTable: a missing cell is null, not a shifted row", () => {
  const t = compactTable([col("A"), col("B")], [{ cells: ["x"], object: obj("o") }], {
    wide: false,
    withNamespace: false,
    withName: true,
  });
  assert.deepEqual(t.rows, [["o", "x", null]]);
});
