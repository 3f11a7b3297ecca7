// A stand-in API server on 127.0.0.1 for tests about our own HTTP behaviour (refused writes,
// timeouts, cancellation), with a kubeconfig that points at it. Cluster behaviour is tested
// against the real testenv instead.

export interface LocalApi {
  port: number;
  kubeconfig: string;
  close(): Promise<void>;
}

export async function localApi(handler: Deno.ServeHandler): Promise<LocalApi> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  const dir = await Deno.makeTempDir();
  const kubeconfig = `${dir}/config`;
  await Deno.writeTextFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: c
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${server.addr.port}"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
`,
  );
  return {
    port: server.addr.port,
    kubeconfig,
    async close() {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
