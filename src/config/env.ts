// Reads the environment variables named in schema.ts into a layer. The getter is injected so
// this stays testable without touching Deno.env.

import { ENV_VARS } from "./schema.ts";

export type EnvLayer = Partial<Record<typeof ENV_VARS[number], string>>;

export function readEnv(get: (name: string) => string | undefined): EnvLayer {
  const layer: EnvLayer = {};
  for (const name of ENV_VARS) {
    const value = get(name);
    if (value !== undefined) layer[name] = value;
  }
  return layer;
}
