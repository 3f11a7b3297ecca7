// A CONNECT-only HTTP proxy on loopback, for kubeconfig proxy-url tests.

/**
 * A CONNECT-only HTTP proxy on loopback; records the targets it was asked for. `hosts` maps
 * names only the proxy knows (as a corporate proxy's DNS would) to addresses.
 */
export function connectProxy(
  hosts: Record<string, string> = {},
): { port: number; targets: string[]; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const targets: string[] = [];
  (async () => {
    for await (const conn of listener) {
      (async () => {
        const buf = new Uint8Array(8192);
        let head = "";
        while (!head.includes("\r\n\r\n")) {
          const n = await conn.read(buf);
          if (n === null) return conn.close();
          head += new TextDecoder().decode(buf.subarray(0, n));
        }
        const m = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]\r\n/.exec(head);
        if (!m) {
          await conn.write(new TextEncoder().encode("HTTP/1.1 405 Only CONNECT\r\n\r\n"));
          return conn.close();
        }
        targets.push(`${m[1]}:${m[2]}`);
        const upstream = await Deno.connect({
          hostname: hosts[m[1]!] ?? m[1]!,
          port: Number(m[2]),
        });
        await conn.write(new TextEncoder().encode("HTTP/1.1 200 Connection established\r\n\r\n"));
        await Promise.allSettled([
          conn.readable.pipeTo(upstream.writable),
          upstream.readable.pipeTo(conn.writable),
        ]);
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    targets,
    close: () => listener.close(),
  };
}
