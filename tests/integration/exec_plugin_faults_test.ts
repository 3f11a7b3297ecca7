// Credential plugins that hang, fail or print secrets: the request timeout covers them (the
// plugin is killed), and what they print never reaches the model or the server's log beyond a
// short redacted excerpt.

import assert from "node:assert/strict";
import { callError, connectStdio } from "../_helpers/connect.ts";
import { integration } from "../_helpers/testenv.ts";
import { execUser, kubeconfigWith, script } from "../_helpers/kubeconfig_variant.ts";

const SECRET = "s3cr3tT0kenVALUE0123456789abcdefXYZ";

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

integration(
  "exec plugins: bounded by the request timeout, failures named and redacted",
  async (env) => {
    const dir = await Deno.makeTempDir();
    const plugins: Record<string, string> = {
      slow: `echo $$ > "${dir}/slow.pid"\nexec sleep 45`,
      forever: `echo $$ > "${dir}/forever.pid"\ntrap '' TERM INT HUP\nwhile :; do sleep 1; done`,
      secret: `echo "login failed: token=${SECRET}" >&2\nexit 3`,
      raw: `printf '%s' "${SECRET}"`,
      noisy: `head -c 1048576 /dev/zero | tr '\\0' 'x' >&2\nexit 4`,
      nostatus: `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}'`,
      silent: `exit 1`,
    };
    const users: string[] = [];
    const contexts: string[] = [];
    for (const [name, body] of Object.entries(plugins)) {
      const path = await script(dir, `plugin-${name}`, body);
      users.push(execUser(`u-${name}`, path));
      contexts.push(`- name: ${name}
  context: {cluster: testenv, user: u-${name}, namespace: mcp-test}
`);
    }
    const kc = await kubeconfigWith(env, { users: users.join(""), contexts: contexts.join("") });
    const { client, close, stderr } = await connectStdio([
      "--kubeconfig",
      kc.path,
      "--always-start",
      "--request-timeout",
      "3s",
    ]);
    const call = async (context: string) => {
      const started = performance.now();
      const text = await callError(client, "list_resources", { resource_type: "pods", context });
      return { text, seconds: (performance.now() - started) / 1000 };
    };
    try {
      for (const name of ["slow", "forever"]) {
        const r = await call(name);
        assert.ok(r.seconds < 3 + 7, `${name}: answered in ${r.seconds.toFixed(1)}s`);
        assert.match(r.text, new RegExp(`"plugin-${name}".*gave no credentials in time`));
        const pid = Number(await Deno.readTextFile(`${dir}/${name}.pid`));
        for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(!alive(pid), `${name}: the plugin (pid ${pid}) was killed`);
      }

      const secret = await call("secret");
      assert.match(secret.text, /"plugin-secret".*exit code 3: login failed: token=\[REDACTED\]/);

      const raw = await call("raw");
      assert.match(raw.text, /"plugin-raw".*did not print an ExecCredential JSON object/);

      const noisy = await call("noisy");
      assert.match(noisy.text, /"plugin-noisy".*exit code 4/);
      assert.ok(noisy.text.length < 2000, `a 1 MB stderr gives ${noisy.text.length} chars`);

      const nostatus = await call("nostatus");
      assert.match(nostatus.text, /"plugin-nostatus".*without a "status" object/);
      assert.doesNotMatch(nostatus.text, /Cannot read properties/);

      const silent = await call("silent");
      assert.match(silent.text, /"plugin-silent".*exit code 1 and printed nothing on stderr/);

      for (const r of [secret, raw, noisy, nostatus, silent]) {
        assert.ok(!r.text.includes(SECRET.slice(0, 8)), `no secret in: ${r.text}`);
        assert.doesNotMatch(r.text, /: $/m);
      }
      assert.ok(!stderr().includes(SECRET.slice(0, 8)), "no secret in the server's log");
    } finally {
      await close();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(kc.dir, { recursive: true });
    }
  },
);
