// Output-schema fragments that several tools share. Output schemas describe the top-level shape
// a tool returns in structuredContent, not every Kubernetes field: tools/list is sent to the
// model on every session, so Kubernetes objects stay open (`looseObject`) and counts are plain
// numbers (`.int()` would add two 16-digit bounds to every one).

import { z } from "../deps.ts";

/**
 * A tool's answer: the fields named are always (or, when optional, sometimes) there, and others
 * may be too, as list_api_resources' paging fields and get_logs' label_selector are. An open
 * object, so a client that checks structuredContent against the schema accepts them
 * (`z.object` would send `additionalProperties: false`).
 */
export const result = <S extends z.core.$ZodLooseShape>(shape: S): z.ZodObject<S, z.core.$loose> =>
  z.looseObject(shape);

/** Any Kubernetes object (or a part of one): its fields are the API server's, kept open. */
export const object = z.looseObject({});

/** A Kubernetes object as the API server returns it. */
export const kubeObject = z.looseObject({ apiVersion: z.string(), kind: z.string() });

export const count = z.number();

/** Present when more items remain: pass it back as `continue`. */
export const continueToken = z.string().optional();

/** Parts of an answer the caller may not read (diagnose tools): each with its reason. */
export const unavailable = z.array(object).optional();
