// Unit tests of the .cpuprofile summary (scripts/bench/cpuprofile.ts).

import assert from "node:assert/strict";
import {
  type CpuProfile,
  packageOf,
  renderSummary,
  summarizeProfile,
} from "../../scripts/bench/cpuprofile.ts";

const frame = (functionName: string, url = "", lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

const ZOD = "file:///repo/node_modules/.deno/zod@4.1.12/node_modules/zod/v4/core/core.js";

// root → run (src/app.ts) → parse (zod); plus (idle) and (garbage collector).
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 4, 5] },
    { id: 2, callFrame: frame("run", "file:///repo/src/app.ts", 13), children: [3] },
    { id: 3, callFrame: frame("parse", ZOD, 5) },
    { id: 4, callFrame: frame("(idle)") },
    { id: 5, callFrame: frame("(garbage collector)") },
  ],
  samples: [3, 3, 3, 2, 4, 4, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 5000, 5000, 1000],
  startTime: 0,
  endTime: 15000,
};

Deno.test("packageOf() names npm packages, repository files and V8 pseudo-frames", () => {
  assert.equal(packageOf(ZOD, "parse"), "npm:zod");
  assert.equal(
    packageOf(
      "file:///r/node_modules/.deno/@kubernetes+client-node@2.0.1/node_modules/@kubernetes/client-node/dist/a.js",
      "f",
    ),
    "npm:@kubernetes/client-node",
  );
  assert.equal(packageOf("file:///work/main/src/kube/http.ts", "request"), "src/kube/http.ts");
  assert.equal(packageOf("ext:deno_node/http2.ts", "socketOnData"), "ext:deno_node");
  assert.equal(packageOf("", "(garbage collector)"), "(garbage collector)");
  assert.equal(packageOf("", "writeBuffer"), "(native)");
});

Deno.test("summarizeProfile() gives self and inclusive time, idle apart", () => {
  const s = summarizeProfile(PROFILE);
  assert.equal(s.totalMs, 15);
  assert.equal(s.idleMs, 10);
  assert.deepEqual(s.functions.map((f) => [f.name, f.ms]), [
    ["parse npm:zod/v4/core/core.js:6", 3],
    ["run src/app.ts:14", 1],
    ["(garbage collector)", 1],
  ]);
  assert.equal(s.functions[0]!.share, 0.6);
  assert.deepEqual(s.packagesInclusive.map((p) => [p.name, p.ms]), [
    ["src/app.ts", 4],
    ["npm:zod", 3],
  ]);
  assert.match(renderSummary(s), /sampled 15 ms, idle 10 ms, busy 5 ms/);
});
