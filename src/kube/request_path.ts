// Which group and resource a request path reaches, read back from the final path itself, so the
// disabled-resources rules hold even if a path was built from unexpected parts.

export interface PathTarget {
  group: string;
  resource: string;
}

/**
 * /api/v1/RES..., /api/v1/namespaces/NS/RES..., /apis/G/V/RES..., /apis/G/V/namespaces/NS/RES...;
 * undefined for discovery and other non-resource paths (/api, /apis/G/V, /version).
 */
export function pathTarget(path: string): PathTarget | undefined {
  const parts = path.split("?")[0]!.split("/").slice(1).map((p) => decodeURIComponent(p));
  let group: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  if (rest[0] === "namespaces" && rest.length >= 3) return { group, resource: rest[2]! };
  return { group, resource: rest[0]! };
}
