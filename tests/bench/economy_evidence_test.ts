import assert from "node:assert/strict";
import {
  checkEvidence,
  type Fact,
  matches,
  mentions,
  segments,
  squash,
} from "../../scripts/bench/economy/evidence.ts";
import { TASKS } from "../../scripts/bench/economy/tasks.ts";

const task = (id: string) => TASKS.find((t) => t.id === id)!;
const check = (id: string, ...texts: string[]) =>
  checkEvidence(texts, task(id).facts, task(id).names);

// A kubectl table as containers prints it (trimmed to the columns that matter).
const POD_TABLE = `NAMESPACE   NAME                   READY   STATUS             RESTARTS        AGE
mcp-test    biglog                 1/1     Running            0               2m42s
mcp-test    crashloop              0/1     CrashLoopBackOff   5 (2m37s ago)   2m37s
mcp-test    pending-pod            0/1     Pending            0               2m38s
mcp-test    worker                 1/1     Running            3 (2m45s ago)   2m45s
`;

Deno.test("mentions() finds whole names only, not parts of longer names", () => {
  assert.deepEqual(mentions("web web-7d4b9c8f6d app=web", "web"), [0, 23]);
  assert.deepEqual(mentions("bulk-worker worker", "worker"), [12]);
  assert.deepEqual(mentions("crashloop.backoff pod/crashloop", "crashloop").length, 2);
  assert.deepEqual(mentions('{"name":"alpha"}', "alpha"), [9]);
  assert.deepEqual(mentions("alphabet xalpha", "alpha"), []);
});

Deno.test("segments() runs from a mention to the next other name: a row, an item, the rest", () => {
  const names = ["biglog", "crashloop", "pending-pod", "worker"];
  const [row] = segments(POD_TABLE, "crashloop", names);
  assert.match(row!, /^crashloop\s+0\/1\s+CrashLoopBackOff/);
  assert.ok(!row!.includes("Pending"), row!);
  // The last name's part runs to the end.
  assert.match(segments(POD_TABLE, "worker", names)[0]!, /3 \(2m45s ago\)\s+2m45s\n$/);
  assert.deepEqual(segments(POD_TABLE, "absent", names), []);
});

Deno.test("matches(): strings, patterns and alternatives", () => {
  assert.ok(matches("a CrashLoopBackOff b", "CrashLoopBackOff"));
  assert.ok(!matches("crashloopbackoff", "CrashLoopBackOff"), "strings are case-sensitive");
  assert.ok(matches("size 3", /\b3\b/));
  assert.ok(matches("KubeletNotReady", ["NotReady", "nope"]));
  assert.ok(!matches("Ready", ["NotReady", /^x/]));
  const g = /a/g; // a global pattern keeps no state between checks
  assert.ok(matches("a", g) && matches("a", g));
});

Deno.test("checkEvidence(): a fact about an object holds only in that object's part", () => {
  const facts: Fact[] = [
    { label: "worker restarted", subject: "worker", needles: ["3 (2m45s ago)"] },
  ];
  const names = ["crashloop", "worker"];
  assert.deepEqual(checkEvidence([POD_TABLE], facts, names), { found: true, missing: [] });
  const wrong: Fact[] = [{
    label: "worker crashloops",
    subject: "worker",
    needles: ["CrashLoopBackOff"],
  }];
  assert.deepEqual(checkEvidence([POD_TABLE], wrong, names), {
    found: false,
    missing: ["worker crashloops"],
  });
});

Deno.test("checkEvidence(): every needle of a fact in one answer; facts may use different answers", () => {
  const facts: Fact[] = [
    { label: "reason", needles: ["OOMKilled"] },
    { label: "last line", needles: ["out of memory", "report"] },
  ];
  assert.equal(
    checkEvidence(["lastState OOMKilled", "out of memory in report"], facts).found,
    true,
  );
  // "out of memory" and "report" split over two answers do not make the fact.
  assert.deepEqual(checkEvidence(["OOMKilled out of memory", "report"], facts).missing, [
    "last line",
  ]);
  assert.deepEqual(checkEvidence([], facts).missing, ["reason", "last line"]);
});

Deno.test("the failing-pods facts hold in a state table and in Flux159's JSON, not in names", () => {
  assert.equal(check("failing_pods", POD_TABLE).found, true);
  const flux = JSON.stringify(
    {
      items: [
        { name: "crashloop", namespace: "mcp-test", kind: "Pod", status: "CrashLoopBackOff" },
        { name: "pending-pod", namespace: "mcp-test", kind: "Pod", status: "Pending" },
      ],
    },
    null,
    2,
  );
  assert.equal(check("failing_pods", flux).found, true);
  const names = JSON.stringify({ items: [{ name: "crashloop" }, { name: "pending-pod" }] });
  assert.equal(check("failing_pods", names).found, false);
  // Columns named once, rows as arrays (a compact shape ours may use).
  const compact = JSON.stringify({
    columns: ["name", "ready", "status", "restarts", "age"],
    items: [["crashloop", "0/1", "CrashLoopBackOff", "5", "3m"], [
      "pending-pod",
      "0/1",
      "Pending",
      "0",
      "3m",
    ]],
  });
  assert.equal(check("failing_pods", compact).found, true);
});

Deno.test("a one-object answer (the whole pod as JSON) counts for that object", () => {
  const pod = JSON.stringify(
    {
      metadata: { name: "pending-pod", namespace: "mcp-test", labels: { app: "pending" } },
      spec: { containers: [{ name: "app", image: "nginx:1.27.3" }] },
      status: {
        phase: "Pending",
        conditions: [{
          type: "PodScheduled",
          status: "False",
          message: "0/2 nodes are available: 2 Insufficient cpu.",
        }],
      },
    },
    null,
    2,
  );
  assert.equal(check("pending_why", pod).found, true);
  assert.equal(check("pending_why", pod.replace("Insufficient cpu", "no nodes")).found, false);
});

Deno.test("readiness facts: a READY column, Flux159's status, or readyReplicas", () => {
  const table =
    `NAMESPACE  NAME         READY      UP-TO-DATE\nbulk  bulk-worker  1500/1500  1500\n` +
    `mcp-test  web  2/2  2\nteam-a  api  1/1  1\nteam-b  billing  1/1  1\n`;
  assert.equal(check("deployments_ready", table).found, true);
  // web at 1/2 is not fully available.
  const short = table.replace("web  2/2", "web  1/2");
  assert.deepEqual(check("deployments_ready", short).missing, ["mcp-test/web: 2/2"]);
  const sts = JSON.stringify({
    metadata: { name: "cache" },
    status: { readyReplicas: 1, replicas: 1 },
  });
  assert.equal(check("statefulset_ready", sts).found, true);
  assert.equal(
    check("statefulset_ready", sts.replace('"readyReplicas":1', '"readyReplicas":0')).found,
    false,
  );
});

Deno.test("number facts do not match inside other numbers or dates", () => {
  const widgets = "NAME  COLOR  SIZE  AGE\nalpha  red  3  13m\nbeta  blue  5  2026-12-03\n";
  assert.equal(check("crd_objects", widgets).found, true);
  const wrong = "NAME  COLOR  SIZE  AGE\nalpha  red  33  13m\nbeta  blue  55  2026-12-05\n";
  assert.equal(check("crd_objects", wrong).found, false);
});

Deno.test("a message folded over lines (YAML) or padded (tables) still matches", () => {
  const yaml = `- InvolvedObject:
    Name: web-7d4b9c8f6d-x2x7k
  Message: 'Readiness probe failed: Get "http://10.244.0.2:80/healthz": connection
    refused'
`;
  const facts: Fact[] = [{ label: "refused", needles: ["connection refused"] }];
  assert.equal(checkEvidence([yaml], facts).found, true);
  assert.equal(checkEvidence(["connection   refused"], facts).found, true);
  assert.equal(checkEvidence(["connection-refused"], facts).found, false);
});

Deno.test("squash() makes every run of white space one space", () => {
  assert.equal(squash("a  b\n\t c"), "a b c");
});
