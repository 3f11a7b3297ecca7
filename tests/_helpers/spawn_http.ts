// Starts main.ts with an HTTP transport as a real process and waits until it listens.

import { FROM_SOURCE } from "./connect.ts";

export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

export interface HttpServerProcess {
  base: string;
  pid: number;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

export async function startHttp(
  transport: "sse" | "streamable-http",
  args: string[],
  env: Record<string, string> = {},
  server: readonly string[] = FROM_SOURCE,
): Promise<HttpServerProcess> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...server, "--transport", transport, "--port", String(port), ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const ready = Promise.withResolvers<void>();
  (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr += chunk;
      if (/(MCP|Message) endpoint: /.test(stderr)) ready.resolve();
    }
    ready.reject(new Error(`server exited before listening:\n${stderr}`));
  })();
  const timer = setTimeout(
    () => ready.reject(new Error(`no listen line in 20s:\n${stderr}`)),
    20_000,
  );
  try {
    await ready.promise;
  } catch (e) {
    child.kill("SIGKILL");
    await child.status;
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stderr: () => stderr,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
      return (await child.status).code;
    },
  };
}
