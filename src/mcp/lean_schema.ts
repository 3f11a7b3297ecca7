// Tool schemas as tools/list sends them, without keys that tell a client nothing. tools/list goes
// to the model on every session, so every byte here is paid again and again. The one place that
// rewrites what zod emits; validation stays zod's own. Dropped, and why each says nothing:
// - `"$schema": "https://json-schema.org/draft/2020-12/schema"`: 2020-12 is MCP's default
//   dialect when $schema is absent.
// - `minimum: -9007199254740991` and `maximum: 9007199254740991`, which `.int()` adds: "any
//   integer JavaScript holds exactly" is no bound a caller can reach; real bounds (.min, .max)
//   are kept.
// - `properties: {}` and `additionalProperties: {}` (open objects): both are JSON Schema's
//   defaults.
// No SDK option does this, so the schema's Standard JSON Schema hook is wrapped here.

import type { z } from "../deps.ts";

type Json = Record<string, unknown>;
type Converter = (options: { target: string }) => Json;

const isEmpty = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** One schema node, leaned in place, with its subschemas. */
function lean(node: Json): Json {
  if (node.type === "integer") {
    if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
    if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
  }
  if (isEmpty(node.properties)) delete node.properties;
  if (isEmpty(node.additionalProperties)) delete node.additionalProperties;
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" || key === "$defs") {
      for (const sub of Object.values(value as Record<string, Json>)) lean(sub);
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      if (typeof value === "object" && value !== null) lean(value as Json);
    } else if (key === "anyOf" || key === "oneOf" || key === "allOf") {
      for (const sub of value as Json[]) lean(sub);
    }
  }
  return node;
}

function strip(convert: Converter): Converter {
  return (options) => {
    const { $schema: _dialect, ...rest } = convert(options);
    return lean(structuredClone(rest));
  };
}

export function leanSchema<T extends z.ZodType>(schema: T): T {
  const std = schema["~standard"] as unknown as {
    jsonSchema: { input: Converter; output: Converter };
  };
  const leaned = Object.create(schema) as T;
  Object.defineProperty(leaned, "~standard", {
    value: {
      ...schema["~standard"],
      jsonSchema: { input: strip(std.jsonSchema.input), output: strip(std.jsonSchema.output) },
    },
  });
  return leaned;
}
