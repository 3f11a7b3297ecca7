// Schema fragments that several tools share, so each parameter is described once.

import { z } from "../deps.ts";

export const context = z.string().optional().describe(
  "Kubeconfig context to use for this call instead of the current one (see list_contexts)",
);

export const namespace = z.string().optional().describe(
  "Namespace; omitted means the server's default namespace for namespaced types",
);

export const resourceType = z.string().describe(
  "Resource type: plural, singular, kind or short name (pods, pod, Pod, po), or resource.group " +
    "(deployments.apps); list_api_resources shows what the cluster serves",
);

export const apiVersion = z.string().optional().describe(
  "Group version such as v1 or apps/v1, to pick one version of a type",
);

export const includeManagedFields = z.boolean().optional().describe(
  "Keep metadata.managedFields and the last-applied-configuration annotation " +
    "(default false: they repeat the object and are noise for most questions)",
);

export const limit = z.number().int().optional().describe(
  "Page size; a continue token is returned when more items remain",
);

export const continueToken = z.string().optional().describe(
  "The continue token from the previous page of the same query",
);
