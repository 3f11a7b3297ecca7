// Tool schemas as tools/list sends them, without the "$schema" dialect line. The SDK writes the
// zod-generated `"$schema": "https://json-schema.org/draft/2020-12/schema"` into every input and
// output schema; 2020-12 is MCP's default dialect when $schema is absent, so the line tells a
// client nothing and costs ~55 bytes per schema on every session. No SDK option drops it, so
// the schema's Standard JSON Schema hook is wrapped here; validation stays zod's own.

import type { z } from "../deps.ts";

type Converter = (options: { target: string }) => Record<string, unknown>;

function strip(convert: Converter): Converter {
  return (options) => {
    const { $schema: _dialect, ...rest } = convert(options);
    return rest;
  };
}

export function withoutDialect<T extends z.ZodType>(schema: T): T {
  const std = schema["~standard"] as unknown as {
    jsonSchema: { input: Converter; output: Converter };
  };
  const lean = Object.create(schema) as T;
  Object.defineProperty(lean, "~standard", {
    value: {
      ...schema["~standard"],
      jsonSchema: { input: strip(std.jsonSchema.input), output: strip(std.jsonSchema.output) },
    },
  });
  return lean;
}
