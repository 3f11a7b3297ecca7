// The Kubernetes verb of a request, from its method and path, as the API server's own request
// info names it: a GET of a collection is "list" (or "watch" with watch=true), of one object
// "get"; discovery and other non-resource paths are "get". For /metrics labels only.

export function apiVerb(method: string, path: string, query: Record<string, unknown> = {}): string {
  if (method !== "GET") return method.toLowerCase() === "post" ? "create" : method.toLowerCase();
  if (query.watch === true || query.watch === "true" || query.watch === "1") return "watch";
  const parts = path.split("?")[0]!.split("/").filter((p) => p !== "");
  // /api/v1/... or /apis/group/version/...
  const rest = parts[0] === "api" ? parts.slice(2) : parts[0] === "apis" ? parts.slice(3) : [];
  if (rest.length === 0) return "get";
  // namespaces/NS/resource[/name[/subresource]] — but "namespaces" and "namespaces/NS" alone
  // are the namespaces resource itself.
  const scoped = rest[0] === "namespaces" && rest.length >= 3 ? rest.slice(2) : rest;
  return scoped.length === 1 ? "list" : "get";
}
