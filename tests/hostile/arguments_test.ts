// Hostile arguments are refused before any work: bounded strings, Kubernetes names, well-formed
// text, object-shaped arguments. No cluster is needed: the refusal comes first.

import assert from "node:assert/strict";
import { type RawAnswer, rawPeer } from "../_helpers/raw_rpc.ts";
import { LIMITS } from "../../src/tools/_shared.ts";

const call = (peer: Awaited<ReturnType<typeof rawPeer>>, name: string, args: unknown) =>
  peer.request("tools/call", { name, arguments: args });

function toolError(a: RawAnswer): string {
  assert.equal(a.error, undefined, JSON.stringify(a.error));
  assert.equal(a.result?.isError, true, JSON.stringify(a.result));
  return a.result!.content[0]!.text;
}

/** No raw control character (newline aside) and no lone surrogate. */
function assertClean(text: string) {
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f]/);
  assert.ok(text.isWellFormed(), "lone surrogate in error text");
}

Deno.test("a 1 MB resource_type is refused at once, naming the limit, without echoing it", async () => {
  const peer = await rawPeer();
  try {
    const big = "x".repeat(1 << 20);
    const started = performance.now();
    const text = toolError(await call(peer, "get_resource", { resource_type: big, name: "a" }));
    assert.ok(performance.now() - started < 5000, "refused promptly");
    assert.match(text, new RegExp(`at most ${LIMITS.resourceType} characters at resource_type`));
    assert.ok(text.length < 400, `${text.length} characters`);
  } finally {
    await peer.close();
  }
});

Deno.test("every string parameter of every tool has a maxLength", async () => {
  const peer = await rawPeer();
  try {
    const listed = await peer.request("tools/list", {}) as unknown as {
      result: { tools: { name: string; inputSchema: { properties: Record<string, unknown> } }[] };
    };
    const strings = (s: Record<string, unknown>): Record<string, unknown>[] =>
      s.type === "string"
        ? [s]
        : [...(s.anyOf as Record<string, unknown>[] ?? [])].flatMap(strings);
    let checked = 0;
    for (const tool of listed.result.tools) {
      for (const [param, schema] of Object.entries(tool.inputSchema.properties)) {
        for (const s of strings(schema as Record<string, unknown>)) {
          assert.equal(typeof s.maxLength, "number", `${tool.name}.${param} has no maxLength`);
          checked++;
        }
      }
    }
    assert.ok(checked > 20, `${checked} string parameters checked`);
  } finally {
    await peer.close();
  }
});

Deno.test("names and namespaces that are not path segments are refused", async () => {
  const peer = await rawPeer();
  try {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "get_resource",
        { resource_type: "pods", name: ".." },
        /"\.\." cannot be \. or \.\. at name/,
      ],
      ["get_resource", { resource_type: "pods", name: "." }, /cannot be \. or \.\. at name/],
      ["get_resource", { resource_type: "pods", name: "a/b" }, /cannot contain \/ or % at name/],
      ["get_resource", { resource_type: "pods", name: "..%2f" }, /cannot contain \/ or %/],
      ["get_resource", { resource_type: "pods", name: "a", namespace: ".." }, /DNS-1123 label/],
      ["get_resource", { resource_type: "pods", name: "a", namespace: "A/b" }, /DNS-1123/],
      ["list_resources", { resource_type: "pods", namespace: "." }, /DNS-1123 label/],
      ["list_resources", { resource_type: "pods", namespace: "%2e%2e" }, /DNS-1123 label/],
      ["get_logs", { name: "web", container: "../x" }, /is not a container name/],
      ["get_logs", { name: "..", namespace: "default" }, /cannot be \. or \.\./],
      ["get_pod_containers", { name: "x\u0000y" }, /control characters/],
      ["get_pod_metrics", { namespace: "default", pod_name: ".." }, /cannot be \. or \.\./],
      ["get_node_metrics", { node_name: "../../api" }, /cannot contain \/ or %/],
      ["get_resource", { resource_type: "pods", name: "a\ud800" }, /lone UTF-16 surrogate/],
      ["get_pod_containers", { name: "\udc00" }, /lone UTF-16 surrogate/],
      ["get_resource", { resource_type: null, name: null }, /expected string, received null/],
    ];
    for (const [tool, args, want] of cases) {
      const text = toolError(await call(peer, tool, args));
      assert.match(text, want, `${tool} ${JSON.stringify(args)}: ${text}`);
      assertClean(text);
    }
  } finally {
    await peer.close();
  }
});

Deno.test("valid names and the all-namespaces forms still pass validation", async () => {
  const peer = await rawPeer();
  try {
    for (
      const [tool, args] of [
        ["get_resource", { resource_type: "clusterroles", name: "system:aggregate-to-view" }],
        ["get_resource", { resource_type: "pods", name: "web-1.x", namespace: " team-b " }],
        ["list_resources", { resource_type: "pods", namespace: "*" }],
        ["list_resources", { resource_type: "pods", namespace: "all" }],
        ["list_resources", { resource_type: "pods", namespace: "" }],
      ] as const
    ) {
      // No cluster behind this server: the call passes validation and fails on the kubeconfig.
      assert.match(toolError(await call(peer, tool, args)), /kubeconfig .* does not exist/);
    }
  } finally {
    await peer.close();
  }
});

Deno.test("arguments that are not an object get -32602, as the spec says", async () => {
  const peer = await rawPeer();
  try {
    for (const args of ["str", [1, 2], null, 7, true]) {
      const a = await call(peer, "get_resource", args);
      assert.equal(a.error?.code, -32602, JSON.stringify(a));
      assert.match(a.error!.message, /arguments of get_resource must be a JSON object/);
    }
    const noParams = await peer.request("tools/call", "x");
    assert.equal(noParams.error?.code, -32602);
  } finally {
    await peer.close();
  }
});

Deno.test("an argument named constructor is ignored like any unknown argument", async () => {
  const peer = await rawPeer();
  try {
    const a = await call(peer, "encode_base64", { constructor: 1, data: "hi" });
    assert.equal(a.error, undefined, JSON.stringify(a.error));
    assert.deepEqual(JSON.parse(a.result!.content[0]!.text), { encoded: "aGk=" });
    const b = await call(peer, "get_resource", { constructor: { prototype: null } });
    assert.match(toolError(b), /expected string, received undefined at resource_type/);
  } finally {
    await peer.close();
  }
});

Deno.test("an impossible tool name is refused with a short escaped excerpt", async () => {
  const peer = await rawPeer();
  try {
    for (const name of ["x".repeat(100_000), "get_logs\u001b[2J", "a\u0000b", 42]) {
      const a = await call(peer, name as string, {});
      assert.equal(a.error?.code, -32602, JSON.stringify(a).slice(0, 200));
      assert.ok(a.error!.message.length < 300, `${a.error!.message.length} characters`);
      assertClean(a.error!.message);
    }
  } finally {
    await peer.close();
  }
});

Deno.test("over-long values of every kind are refused naming their limit", async () => {
  const peer = await rawPeer();
  try {
    const long = (n: number) => "a".repeat(n + 1);
    const cases: [string, Record<string, unknown>, number][] = [
      [
        "list_resources",
        { resource_type: "pods", label_selector: long(LIMITS.selector) },
        LIMITS.selector,
      ],
      [
        "list_resources",
        { resource_type: "pods", continue: long(LIMITS.continueToken) },
        LIMITS.continueToken,
      ],
      ["get_logs", { name: "p", grep_include: long(LIMITS.pattern) }, LIMITS.pattern],
      ["get_logs", { name: "p", since: long(LIMITS.since) }, LIMITS.since],
      ["get_resource", { resource_type: "pods", name: long(LIMITS.name) }, LIMITS.name],
      [
        "get_resource",
        { resource_type: "pods", name: "a", context: long(LIMITS.context) },
        LIMITS.context,
      ],
      ["encode_base64", { data: long(LIMITS.plainData) }, LIMITS.plainData],
      ["decode_base64", { data: long(LIMITS.base64Data) }, LIMITS.base64Data],
    ];
    for (const [tool, args, limit] of cases) {
      const text = toolError(await call(peer, tool, args));
      assert.match(text, new RegExp(`at most ${limit} characters`), `${tool}: ${text}`);
      assert.ok(text.length < 400, `${tool}: ${text.length} characters`);
    }
  } finally {
    await peer.close();
  }
});
