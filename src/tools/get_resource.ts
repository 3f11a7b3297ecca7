import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import { stripBookkeeping } from "../kube/sanitize.ts";
import type { ApiResource, KubeObject } from "../kube/types.ts";
import type { Config } from "../config/schema.ts";
import * as p from "./_shared.ts";

export interface PresentOptions {
  /** The object's type (Secrets are recognised by it). */
  resource: ApiResource;
  includeManagedFields?: boolean;
  config: Config;
}

/**
 * What a model is shown of one whole object: the one place where get_resource's trimming and
 * sanitising happen, shared by describe_resource so both always show the same thing.
 */
export function presentObject(obj: KubeObject, opts: PresentOptions): KubeObject {
  return stripBookkeeping(obj, opts.includeManagedFields);
}

export const getResource = defineTool({
  name: "get_resource",
  title: "Get a Kubernetes resource",
  description: "Get one object in full (spec, status, data) by type and name. Namespaced types " +
    "are looked up in the default namespace unless `namespace` is given; the namespace is " +
    "ignored for cluster-scoped types such as nodes. Secrets come back with base64 data: " +
    "decode_base64 decodes a value.",
  input: {
    resource_type: p.resourceType,
    name: p.objectName("Object name"),
    api_version: p.apiVersion,
    namespace: p.namespace,
    context: p.context,
    include_managed_fields: p.includeManagedFields,
  },
  annotations: READS_CLUSTER,
  async run(args, { kube, config, signal }) {
    const client = await kube.client(args.context);
    const resource = await client.resolve(args.resource_type, args.api_version, signal);
    const namespace = resource.namespaced ? args.namespace?.trim() || client.namespace : undefined;
    const obj = await client.get({ resource, name: args.name, namespace }, signal);
    return ok(presentObject(obj, {
      resource,
      includeManagedFields: args.include_managed_fields,
      config,
    }));
  },
});
