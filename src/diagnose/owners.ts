// The chain of controlling owners of an object (Pod → ReplicaSet → Deployment), read through the
// Kube seam one GET per step, stopping where an owner is missing, forbidden or unknown.

import type { KubeClient, KubeObject } from "../kube/types.ts";
import { partFailure, type Unavailable } from "./unavailable.ts";

export interface Owner {
  kind: string;
  name: string;
  apiVersion?: string;
}

export interface OwnerChain {
  owners: Owner[];
  /** Set when the chain stops before its top: the owner that could not be read, and why. */
  stopped?: Owner & { reason: string };
}

interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

/** Deeper chains do not exist in practice; the bound keeps a cycle from looping. */
export const MAX_OWNER_DEPTH = 8;

/** The controller reference, else the first one. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = (obj.metadata?.ownerReferences ?? []) as OwnerReference[];
  return refs.find((r) => r.controller) ?? refs[0];
}

export async function ownerChain(
  client: KubeClient,
  obj: KubeObject,
  namespace: string | undefined,
  signal?: AbortSignal,
): Promise<OwnerChain> {
  const owners: Owner[] = [];
  const seen = new Set<string>();
  let current = obj;
  for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
    const ref = controllerOf(current);
    if (!ref?.kind || !ref.name) break;
    const owner: Owner = { kind: ref.kind, name: ref.name, apiVersion: ref.apiVersion };
    const key = `${ref.apiVersion}/${ref.kind}/${ref.name}`;
    if (seen.has(key)) break;
    seen.add(key);
    try {
      const resource = await client.resolve(ref.kind, ref.apiVersion, signal);
      current = await client.get({
        resource,
        name: ref.name,
        namespace: resource.namespaced ? namespace : undefined,
      }, signal);
    } catch (e) {
      const why: Unavailable = partFailure(`${ref.kind} ${ref.name}`, e);
      return { owners, stopped: { ...owner, reason: why.reason } };
    }
    owners.push(owner);
  }
  return { owners };
}
