import assert from "node:assert/strict";
import { resolveConfig } from "../../src/config/resolve.ts";
import { parseFlags } from "../../src/config/flags.ts";
import type { EnvLayer } from "../../src/config/env.ts";
import { UsageError } from "../../src/config/errors.ts";

function resolve(argv: string[], env: EnvLayer = {}, os = "linux") {
  return resolveConfig({ flags: parseFlags(argv), env, os });
}

Deno.test("resolveConfig() picks the first non-empty source of disabled tools, whole", () => {
  const cases: [string, string[], EnvLayer, string[]][] = [
    ["flag only", ["--disabled-tools=get_logs"], {}, ["get_logs"]],
    ["app env only", [], { MCP_KUBERNETES_RO_DISABLED_TOOLS: "get_logs" }, ["get_logs"]],
    ["generic env only", [], { DISABLED_TOOLS: "get_pod_metrics" }, ["get_pod_metrics"]],
    [
      "flag beats both env vars",
      ["--disabled-tools=encode_base64,decode_base64"],
      { MCP_KUBERNETES_RO_DISABLED_TOOLS: "get_logs", DISABLED_TOOLS: "get_pod_metrics" },
      ["encode_base64", "decode_base64"],
    ],
    [
      "app env beats generic env",
      [],
      {
        MCP_KUBERNETES_RO_DISABLED_TOOLS: "encode_base64,decode_base64",
        DISABLED_TOOLS: "get_logs,get_pod_metrics",
      },
      ["encode_base64", "decode_base64"],
    ],
    [
      "blank app env counts as unset",
      [],
      { MCP_KUBERNETES_RO_DISABLED_TOOLS: "  \t", DISABLED_TOOLS: "get_logs" },
      ["get_logs"],
    ],
    [
      "empty flag value counts as unset",
      ["--disabled-tools="],
      { DISABLED_TOOLS: "get_logs" },
      ["get_logs"],
    ],
    [
      "repeated flags accumulate; commas and whitespace split; names trimmed and lower-cased",
      [
        "--disabled-tools",
        " Get_Logs ,list_contexts",
        "--disabled-tools=ENCODE_BASE64\tdecode_base64",
      ],
      { DISABLED_TOOLS: "get_pod_metrics" },
      ["get_logs", "list_contexts", "encode_base64", "decode_base64"],
    ],
    ["nothing set", [], {}, []],
  ];
  for (const [name, argv, env, want] of cases) {
    assert.deepEqual(resolve(argv, env).config.disabledTools, want, name);
  }
});

Deno.test("resolveConfig() reads boolean env vars as true for true, 1 and yes only", () => {
  const cases: [string | undefined, boolean][] = [
    ["true", true],
    ["TRUE", true],
    ["1", true],
    ["Yes", true],
    [" yes ", true],
    ["on", false],
    ["false", false],
    ["0", false],
    ["", false],
    [undefined, false],
  ];
  for (const [value, want] of cases) {
    const env = value === undefined ? {} : { MCP_KUBERNETES_RO_ALWAYS_START: value };
    assert.equal(resolve([], env).config.alwaysStart, want, `value ${value}`);
  }
  // An explicit flag beats the environment in both directions.
  assert.equal(
    resolve(["--always-start=false"], { MCP_KUBERNETES_RO_ALWAYS_START: "1" }).config.alwaysStart,
    false,
  );
  assert.equal(resolve(["--always-start"], {}).config.alwaysStart, true);
});

Deno.test("resolveConfig() resolves the kubeconfig from flag, then KUBECONFIG, then HOME", () => {
  assert.deepEqual(
    resolve(["--kubeconfig", "/a:/b"], { KUBECONFIG: "/c", HOME: "/h" }).config.kubeconfigPaths,
    ["/a", "/b"],
  );
  const fromEnv = resolve([], { KUBECONFIG: "/c::/d", HOME: "/h" }).config;
  assert.deepEqual([fromEnv.kubeconfigPaths, fromEnv.kubeconfigSource], [
    ["/c", "/d"],
    "KUBECONFIG",
  ]);
  const fromHome = resolve([], { HOME: "/home/u/" }).config;
  assert.deepEqual(
    [fromHome.kubeconfigPaths, fromHome.kubeconfigSource],
    [["/home/u/.kube/config"], "default"],
  );
  assert.deepEqual(resolve([], {}).config.kubeconfigPaths, []);
  assert.equal(resolve([], {}).config.inCluster, false);
  assert.equal(resolve([], { KUBERNETES_SERVICE_HOST: "10.96.0.1" }).config.inCluster, true);
  assert.deepEqual(
    resolve([], { KUBECONFIG: "C:\\a;D:\\b" }, "windows").config.kubeconfigPaths,
    ["C:\\a", "D:\\b"],
  );
  assert.deepEqual(
    resolve([], { USERPROFILE: "C:\\Users\\u" }, "windows").config.kubeconfigPaths,
    ["C:\\Users\\u\\.kube\\config"],
  );
});

Deno.test("resolveConfig() applies defaults and validates values", () => {
  const { config, action } = resolve([]);
  assert.equal(action, "serve");
  assert.equal(config.transport, "stdio");
  assert.equal(config.port, 8080);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.requestTimeoutMs, 30_000);
  assert.equal(config.namespace, undefined);
  assert.equal(resolve(["--request-timeout=2m30s"]).config.requestTimeoutMs, 150_000);
  assert.equal(resolve(["--request-timeout", "5"]).config.requestTimeoutMs, 5_000);
  assert.equal(resolve(["--transport=sse", "--port", "9000"]).config.port, 9000);
  const bad: [string[], RegExp][] = [
    [["--transport=http"], /--transport must be one of stdio, sse, streamable-http; got "http"/],
    [["--port=0"], /--port must be a whole number from 1 to 65535; got "0"/],
    [["--port=65536"], /--port .* got "65536"/],
    [["--port=8o"], /--port .* got "8o"/],
    [["--request-timeout=soon"], /--request-timeout must be a positive duration/],
    [["--request-timeout=0s"], /--request-timeout must be a positive duration/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(() => resolve(argv), (e) => e instanceof UsageError && message.test(e.message));
  }
});

Deno.test("resolveConfig() unions disabled resources from flag and env, and reads actions", () => {
  assert.deepEqual(
    resolve(["--disabled-resources=secrets"], {
      MCP_KUBERNETES_RO_DISABLED_RESOURCES: "configmaps secrets",
    }).config.disabledResources,
    ["secrets", "configmaps"],
  );
  assert.equal(resolve(["--version"]).action, "version");
  assert.equal(resolve(["-h"]).action, "help");
  // Port forwarding is offered now: the flag no longer draws an "ignored" warning.
  assert.deepEqual(resolve(["--enable-port-forwarding"]).warnings, []);
  assert.equal(resolve(["--namespace", "  "]).config.namespace, undefined);
});

Deno.test("resolveConfig() resolves auth, client cache and rate limits: flag, env, default", () => {
  type Team = Pick<
    ReturnType<typeof resolve>["config"],
    "auth" | "clientCacheTtlMs" | "clientCacheSize" | "qps" | "burst" | "maxInFlight"
  >;
  const defaults: Team = {
    auth: "kubeconfig",
    clientCacheTtlMs: 300_000,
    clientCacheSize: 100,
    qps: 20,
    burst: 30,
    maxInFlight: 64,
  };
  const cases: [string, string[], EnvLayer, Partial<Team>][] = [
    ["defaults on stdio: no QPS pacing", [], {}, { qps: 0 }],
    ["defaults on sse", ["--transport=sse"], {}, {}],
    ["defaults on streamable-http", ["--transport=streamable-http"], {}, {}],
    ["--qps applies on stdio too", ["--qps=5"], {}, { qps: 5 }],
    ["so does its variable", [], { MCP_KUBERNETES_RO_QPS: "7" }, { qps: 7 }],
    [
      "flags",
      [
        "--transport=sse",
        "--auth=passthrough",
        "--client-cache-ttl=90s",
        "--client-cache-size=7",
        "--qps=2.5",
        "--burst=4",
        "--max-in-flight=3",
      ],
      {},
      {
        auth: "passthrough",
        clientCacheTtlMs: 90_000,
        clientCacheSize: 7,
        qps: 2.5,
        burst: 4,
        maxInFlight: 3,
      },
    ],
    [
      "env",
      ["--transport=streamable-http"],
      {
        MCP_KUBERNETES_RO_AUTH: "Passthrough",
        MCP_KUBERNETES_RO_CLIENT_CACHE_TTL: "1m",
        MCP_KUBERNETES_RO_CLIENT_CACHE_SIZE: "5",
        MCP_KUBERNETES_RO_QPS: "0",
        MCP_KUBERNETES_RO_BURST: "1",
        MCP_KUBERNETES_RO_MAX_IN_FLIGHT: "2",
      },
      {
        auth: "passthrough",
        clientCacheTtlMs: 60_000,
        clientCacheSize: 5,
        qps: 0,
        burst: 1,
        maxInFlight: 2,
      },
    ],
    [
      "flag beats env",
      ["--qps=50", "--auth=kubeconfig", "--transport=sse"],
      { MCP_KUBERNETES_RO_QPS: "5", MCP_KUBERNETES_RO_AUTH: "passthrough" },
      { qps: 50, auth: "kubeconfig" },
    ],
    ["blank env counts as unset", [], { MCP_KUBERNETES_RO_BURST: " " }, { qps: 0 }],
    ["blank QPS variable counts as unset", ["--transport=sse"], { MCP_KUBERNETES_RO_QPS: "" }, {}],
  ];
  for (const [name, argv, env, want] of cases) {
    const c = resolve(argv, env).config;
    const got: Team = {
      auth: c.auth,
      clientCacheTtlMs: c.clientCacheTtlMs,
      clientCacheSize: c.clientCacheSize,
      qps: c.qps,
      burst: c.burst,
      maxInFlight: c.maxInFlight,
    };
    assert.deepEqual(got, { ...defaults, ...want }, name);
  }
});

Deno.test("resolveConfig() rejects bad auth, cache and rate values with what to do", () => {
  const bad: [string[], EnvLayer, RegExp][] = [
    [["--auth=passthrough"], {}, /--auth=passthrough needs an HTTP transport.*streamable-http/],
    [[], { MCP_KUBERNETES_RO_AUTH: "passthrough" }, /needs an HTTP transport/],
    [["--auth=oidc", "--transport=sse"], {}, /--auth must be one of kubeconfig, passthrough/],
    [["--client-cache-ttl=0s"], {}, /--client-cache-ttl must be a positive duration/],
    [["--client-cache-size=0"], {}, /--client-cache-size must be a whole number of at least 1/],
    [["--qps=-1"], {}, /--qps must be a number/],
    [["--burst=0"], {}, /--burst must be a whole number of at least 1/],
    [[], { MCP_KUBERNETES_RO_MAX_IN_FLIGHT: "many" }, /--max-in-flight must be a whole number/],
  ];
  for (const [argv, env, re] of bad) {
    assert.throws(() => resolve(argv, env), (e) => e instanceof UsageError && re.test(e.message));
  }
});

Deno.test("resolveConfig() picks the secret access mode: flags, then env, then transport", () => {
  const I = "MCP_KUBERNETES_RO_INSECURE_SECRET_ACCESS";
  const E = "MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS";
  const cases: [string, string[], EnvLayer, string][] = [
    ["stdio defaults to file", [], {}, "file"],
    ["sse defaults to encrypted", ["--transport=sse"], {}, "encrypted"],
    ["streamable-http defaults to encrypted", ["--transport=streamable-http"], {}, "encrypted"],
    ["encrypted flag on stdio", ["--encrypted-secret-access"], {}, "encrypted"],
    ["insecure flag", ["--insecure-secret-access"], {}, "insecure"],
    ["insecure over HTTP", ["--transport=sse", "--insecure-secret-access"], {}, "insecure"],
    [
      "insecure wins over encrypted",
      ["--encrypted-secret-access", "--insecure-secret-access"],
      {},
      "insecure",
    ],
    ["insecure env", [], { [I]: "yes" }, "insecure"],
    ["encrypted env", [], { [E]: "TRUE" }, "encrypted"],
    ["insecure env wins over encrypted env", [], { [I]: "1", [E]: "1" }, "insecure"],
    [
      "insecure env wins over encrypted flag",
      ["--encrypted-secret-access"],
      { [I]: "1" },
      "insecure",
    ],
    ["on is not true", [], { [I]: "on", [E]: "on" }, "file"],
    ["blank env is unset", [], { [I]: "  ", [E]: "" }, "file"],
    ["a false flag beats a true env", ["--insecure-secret-access=false"], { [I]: "true" }, "file"],
    [
      "a false encrypted flag beats env, transport default still applies",
      ["--transport=sse", "--encrypted-secret-access=false"],
      { [E]: "true" },
      "encrypted",
    ],
    ["encrypted false on stdio", ["--encrypted-secret-access=false"], { [E]: "1" }, "file"],
    [
      "false env on HTTP keeps the transport default",
      ["--transport=sse"],
      { [E]: "0" },
      "encrypted",
    ],
  ];
  for (const [name, argv, env, want] of cases) {
    assert.equal(resolve(argv, env).config.secretAccess, want, name);
  }
});

Deno.test("resolveConfig() warns once about insecure secret access, and only then", () => {
  const warned = resolve(["--insecure-secret-access"]).warnings;
  assert.deepEqual(warned.filter((w) => w.includes("secret")).length, 1);
  assert.match(warned.join("\n"), /^--insecure-secret-access is enabled\. /m);
  assert.equal(resolve([]).warnings.length, 0);
  assert.equal(resolve(["--encrypted-secret-access"]).warnings.length, 0);
});

Deno.test("resolveConfig() takes the temp folder from TMPDIR, else /tmp", () => {
  assert.equal(resolve([]).config.tempDir, "/tmp");
  assert.equal(resolve([], { TMPDIR: " " }).config.tempDir, "/tmp");
  assert.equal(resolve([], { TMPDIR: "/var/tmp/x" }).config.tempDir, "/var/tmp/x");
});

Deno.test("resolveConfig() reads --print-rbac, --rbac-namespace and port forwarding for it", () => {
  const r = (argv: string[]) => resolveConfig({ flags: parseFlags(argv), env: {} });
  assert.equal(r([]).action, "serve");
  assert.deepEqual(r([]).rbac, { namespace: "mcp-kubernetes-ro", portForward: false });
  const printed = r(["--print-rbac", "--rbac-namespace", "ops", "--enable-port-forwarding"]);
  assert.equal(printed.action, "print-rbac");
  assert.deepEqual(printed.rbac, { namespace: "ops", portForward: true });
  assert.equal(r(["--print-rbac", "--help"]).action, "help");
  assert.throws(
    () => r(["--print-rbac", "--rbac-namespace", "Not_A_Namespace"]),
    (e) => e instanceof UsageError && /--rbac-namespace must be a namespace name/.test(e.message),
  );
});

Deno.test("resolveConfig() enables port forwarding with the reference's precedence (§1.2, §1.4)", () => {
  const M = "MCP_KUBERNETES_RO_ENABLE_PORT_FORWARDING";
  const G = "ENABLE_PORT_FORWARDING";
  const cases: [string, string[], EnvLayer, boolean][] = [
    ["default off", [], {}, false],
    ["flag", ["--enable-port-forwarding"], {}, true],
    ["flag true beats a false env", ["--enable-port-forwarding=true"], { [M]: "false" }, true],
    ["specific env true", [], { [M]: "true" }, true],
    ["specific env 1", [], { [M]: "1" }, true],
    ["specific env YES, any case", [], { [M]: " YES " }, true],
    ["specific env on is false", [], { [M]: "on" }, false],
    ["generic env", [], { [G]: "yes" }, true],
    ["specific set-but-false stops the search", [], { [M]: "false", [G]: "true" }, false],
    ["blank specific falls through", [], { [M]: "  ", [G]: "1" }, true],
    ["a false flag still consults the env (as the Go flag)", ["--enable-port-forwarding=false"], {
      [G]: "true",
    }, true],
  ];
  for (const [name, argv, env, want] of cases) {
    assert.equal(resolve(argv, env).config.portForwarding, want, name);
  }
});

Deno.test("resolveConfig() reads the port-forward bounds: flag, env, default", () => {
  const d = resolve([]).config;
  assert.equal(d.portForwardMaxSessions, 10);
  assert.equal(d.portForwardIdleTimeoutMs, 30 * 60_000);
  const f = resolve(["--port-forward-max-sessions=3", "--port-forward-idle-timeout=90s"], {
    MCP_KUBERNETES_RO_PORT_FORWARD_MAX_SESSIONS: "7",
  }).config;
  assert.equal(f.portForwardMaxSessions, 3);
  assert.equal(f.portForwardIdleTimeoutMs, 90_000);
  const e = resolve([], {
    MCP_KUBERNETES_RO_PORT_FORWARD_MAX_SESSIONS: "7",
    MCP_KUBERNETES_RO_PORT_FORWARD_IDLE_TIMEOUT: "0",
  }).config;
  assert.equal(e.portForwardMaxSessions, 7);
  assert.equal(e.portForwardIdleTimeoutMs, 0, "0 means never");
  assert.throws(() => resolve(["--port-forward-max-sessions=0"]), UsageError);
  assert.throws(() => resolve(["--port-forward-idle-timeout=soon"]), UsageError);
});
