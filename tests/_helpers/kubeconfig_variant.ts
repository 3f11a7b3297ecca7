// Kubeconfig variants of the testenv's, for tests of auth kinds and credential plugins.

import type { TestEnv } from "./testenv.ts";

/** A copy of the testenv kubeconfig with extra YAML appended to its lists, in a temp dir. */
export async function kubeconfigWith(
  env: TestEnv,
  extra: { clusters?: string; users?: string; contexts?: string; current?: string },
): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir();
  let text = await Deno.readTextFile(env.kubeconfig);
  if (extra.clusters) text = text.replace(/^clusters:\n/m, `clusters:\n${extra.clusters}`);
  if (extra.users) text = text.replace(/^users:\n/m, `users:\n${extra.users}`);
  if (extra.contexts) text = text.replace(/^contexts:\n/m, `contexts:\n${extra.contexts}`);
  if (extra.current) {
    text = text.replace(/^current-context: .*$/m, `current-context: "${extra.current}"`);
  }
  const path = `${dir}/kubeconfig`;
  await Deno.writeTextFile(path, text);
  return { dir, path };
}

/** A kubeconfig `users` entry whose credential comes from an exec plugin (never interactive). */
export function execUser(name: string, command: string): string {
  return `- name: ${name}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ${command}
      interactiveMode: Never
`;
}

/** A shell script in `dir`, executable. */
export async function script(dir: string, name: string, body: string): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}
