// Schema fragments that several tools share, so each parameter is described once, tersely: the
// descriptions go to the model on every session (tools/list), and a tool's own description does
// not repeat them. Every string
// has a length bound (an over-long value is refused at once, naming the limit, and never echoed)
// and must be well-formed UTF-16; names and namespaces are held to Kubernetes' own rules before
// any request path is built from them.

import { z } from "../deps.ts";
import { quote } from "../text/quote.ts";
import { MAX_FIELD_LENGTH, MAX_FIELDS } from "../fields/project.ts";

/** Bounds on string arguments, in characters. */
export const LIMITS = {
  /** DNS-1123 subdomain: most object names, node names. */
  name: 253,
  /** DNS-1123 label: namespaces, container names. */
  label: 63,
  context: 256,
  resourceType: 256,
  apiVersion: 256,
  selector: 4096,
  continueToken: 4096,
  pattern: 2048,
  since: 64,
  /** A local file path (PATH_MAX on Linux). */
  path: 4096,
  /** A PEM public key: 16384-bit RSA fits. */
  publicKey: 16 * 1024,
  /** Text for encode_base64: its answer (the text and its base64) must fit one answer. */
  plainData: 512 * 1024,
  /** Base64 for decode_base64: a whole Secret (at most 1 MiB) fits. */
  base64Data: 1024 * 1024,
} as const;

/** A string of at most `max` characters that is well-formed UTF-16 (no lone surrogate). */
export function text(max: number): z.ZodString {
  return z.string()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((v) => v.isWellFormed(), {
      error: "must be valid Unicode text (it holds a lone UTF-16 surrogate)",
    });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/**
 * Why a name cannot be one path segment of an API request, as Kubernetes' own
 * IsValidPathSegmentName rules it (no ".", "..", "/" or "%"), plus no control characters;
 * undefined when it is fine.
 */
export function badObjectName(name: string): string | undefined {
  if (name === "." || name === "..") return "cannot be . or ..";
  if (/[/%]/.test(name)) return "cannot contain / or %";
  if (CONTROL.test(name)) return "cannot contain control characters";
  return undefined;
}

/** Why a namespace is not a DNS-1123 label; undefined when it is (or is empty: the default). */
export function badNamespace(namespace: string): string | undefined {
  const ns = namespace.trim();
  if (ns === "" || DNS_LABEL.test(ns)) return undefined;
  return "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending " +
    `with a letter or digit, at most ${LIMITS.label} characters`;
}

/** An object name (pod, node, any kind), checked as one path segment. */
export function objectName(description: string): z.ZodString {
  return text(LIMITS.name).min(1, { error: "must not be empty" }).check((ctx) => {
    const why = badObjectName(ctx.value);
    if (why) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: `${quote(ctx.value)} ${why}` });
    }
  }).describe(description);
}

/** A container name: a DNS-1123 label. */
export function containerName(description: string): z.ZodString {
  return text(LIMITS.label).check((ctx) => {
    if (ctx.value !== "" && !DNS_LABEL.test(ctx.value)) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        message: `${quote(ctx.value)} is not a container name: lower-case letters, digits and ` +
          "'-', starting and ending with a letter or digit",
      });
    }
  }).describe(description);
}

/** A namespace (a DNS-1123 label; empty means the default), plus `extra` accepted values. */
export function namespaceOf(description: string, extra: readonly string[] = []): z.ZodString {
  return text(LIMITS.name).check((ctx) => {
    if (extra.includes(ctx.value.trim())) return;
    const why = badNamespace(ctx.value);
    if (why) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: `${quote(ctx.value)} ${why}` });
    }
  }).describe(description);
}

export const context = text(LIMITS.context).optional().describe("Kubeconfig context");

/** Omitted: the server's default namespace (--namespace, else the context's). */
export const namespace = namespaceOf("Namespace").optional();

export const resourceType = text(LIMITS.resourceType).describe(
  "e.g. pods, pod, Pod, po, deployments.apps",
);

export const apiVersion = text(LIMITS.apiVersion).optional().describe(
  "e.g. v1, apps/v1 (default: preferred)",
);

export const selector = (description: string): z.ZodOptional<z.ZodString> =>
  text(LIMITS.selector).optional().describe(description);

export const includeManagedFields = z.boolean().optional().describe(
  "Keep managedFields and the last-applied annotation",
);

export const limit = z.number().int().optional().describe("Page size");

export const continueToken = text(LIMITS.continueToken).optional().describe(
  "Token from the previous page",
);

/** Text of at most `max` characters, checked by a refinement: tools/list does not spell the
 * bound out (a maxLength costs every session bytes for a bound no model reaches). Only for list
 * items: a string parameter itself shows its maxLength (tests/hostile/arguments_test.ts). */
export function boundedText(
  max: number,
  error = `must be valid text of at most ${max} characters`,
): z.ZodString {
  return z.string().refine((v) => v.length <= max && v.isWellFormed(), { error });
}

export const fields = z.union([
  z.array(boundedText(MAX_FIELD_LENGTH)).max(MAX_FIELDS),
  text(MAX_FIELDS * MAX_FIELD_LENGTH),
], {
  error: `must be a list of at most ${MAX_FIELDS} paths of at most ${MAX_FIELD_LENGTH} ` +
    "characters each (or one string of comma-separated paths)",
}).optional().describe("Only these kubectl custom-columns paths, e.g. .spec.containers[*].image");
