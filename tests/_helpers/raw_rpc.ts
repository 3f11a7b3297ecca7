// A bare JSON-RPC peer on an in-memory transport: sends what no SDK client would (non-object
// arguments, odd tool names) and returns the raw answer.

import { InMemoryTransport } from "./sdk.ts";
import { testConfig } from "./connect.ts";
import type { Config } from "../../src/config/schema.ts";
import type { JSONRPCMessage } from "../../src/deps.ts";
import { KubeAccess } from "../../src/kube/access.ts";
import { selectTools } from "../../src/tools/registry.ts";
import { createServer } from "../../src/mcp/server.ts";

export interface RawAnswer {
  result?: { content: { type: string; text: string }[]; isError?: boolean };
  error?: { code: number; message: string };
}

export interface RawPeer {
  request(method: string, params: unknown): Promise<RawAnswer>;
  close(): Promise<void>;
}

export async function rawPeer(
  config: Config = testConfig({ kubeconfig: "/nonexistent/kubeconfig" }),
): Promise<RawPeer> {
  const server = createServer({
    kube: new KubeAccess(config),
    config,
    tools: selectTools(config.disabledTools, config.secretAccess).tools,
  });
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const waiting = new Map<number, (a: RawAnswer) => void>();
  client.onmessage = (m: JSONRPCMessage) => {
    if ("id" in m && !("method" in m)) waiting.get(m.id as number)?.(m as RawAnswer);
  };
  await client.start();
  let next = 0;
  const request = async (method: string, params: unknown) => {
    const id = ++next;
    const answer = new Promise<RawAnswer>((resolve) => waiting.set(id, resolve));
    await client.send({ jsonrpc: "2.0", id, method, params } as JSONRPCMessage);
    return answer;
  };
  await request("initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "0" },
  });
  return {
    request,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
