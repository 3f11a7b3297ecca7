import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import type { ApiResource, Kube, KubeClient, KubeObject } from "../kube/types.ts";
import { forModel } from "../secrets/redact.ts";
import { fieldList, projector } from "../fields/project.ts";
import * as p from "./_shared.ts";
import * as o from "./_output.ts";

/** One object as get_resource and describe_resource address it: the type resolved, the namespace
 * defaulted for namespaced types only. */
export async function getObject(
  kube: Kube,
  args: {
    resource_type: string;
    name: string;
    api_version?: string;
    namespace?: string;
    context?: string;
  },
  signal: AbortSignal,
): Promise<{ client: KubeClient; resource: ApiResource; namespace?: string; obj: KubeObject }> {
  const client = await kube.client(args.context);
  const resource = await client.resolve(args.resource_type, args.api_version, signal);
  const namespace = resource.namespaced ? args.namespace?.trim() || client.namespace : undefined;
  const obj = await client.get({ resource, name: args.name, namespace }, signal);
  return { client, resource, namespace, obj };
}

/** How get_resource names one object; describe_resource takes the same parameters. */
export const OBJECT_INPUT = {
  resource_type: p.resourceType,
  name: p.objectName("Object name"),
  api_version: p.apiVersion,
  namespace: p.namespace,
  context: p.context,
  include_managed_fields: p.includeManagedFields,
};

const SECRET_SENTENCE = {
  file: "Secret values show as [redacted: N bytes]; save_secret_to_file gives one to the user.",
  encrypted: "Secret values show as [redacted: N bytes]; get_secret_encrypted gives one to the " +
    "user.",
  insecure: "Secret data comes as stored (base64): decode_base64 decodes a value.",
} as const;

export const getResource = defineTool({
  name: "get_resource",
  title: "Get a Kubernetes resource",
  description: ({ secretAccess }) =>
    "Get one object (spec, status, data); namespace is ignored for " +
    "cluster-scoped types. " + SECRET_SENTENCE[secretAccess],
  input: { ...OBJECT_INPUT, fields: p.fields },
  output: o.kubeObject,
  annotations: READS_CLUSTER,
  async run(args, { kube, secretAccess, signal }) {
    // Paths are checked before the object is read: a bad one costs no request.
    const paths = fieldList(args.fields);
    const fields = paths.length ? await projector(paths) : undefined;
    const { resource, obj } = await getObject(kube, args, signal);
    const shown = forModel(resource, obj, {
      secretAccess,
      keepBookkeeping: args.include_managed_fields,
    });
    if (!fields) return ok(shown);
    const values = fields.project(shown);
    const meta = obj.metadata ?? {};
    return ok({
      apiVersion: String(obj.apiVersion ?? resource.apiVersion),
      kind: String(obj.kind ?? resource.kind),
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      ...Object.fromEntries(fields.keys.map((k, i) => [k, values[i]])),
    });
  },
});
