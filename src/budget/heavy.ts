// Which tool calls are heavy: the unpaged lists. One list of 1,500 pods holds ~45 MiB while it
// runs (the API server's JSON parsed whole), a hundred times a get. Admission lets heavy calls
// start only while the memory left holds one more (src/budget/budget.ts memoryCapacity); the
// others only count against the slots, so calls that wait on the API server (or its rate limit)
// do not queue behind memory they do not use. Judged from the request alone, before the call runs:
// a list with a small `limit` is a page, not a heavy call.

const LISTS = new Set(["list_resources", "get_pod_metrics", "get_node_metrics"]);

/** The largest `limit` that still counts as a page. */
export const PAGE = 500;

export function isHeavyCall(message: unknown): boolean {
  const m = message as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
  if (m?.method !== "tools/call" || !LISTS.has(m.params?.name as string)) return false;
  const limit = Number((m.params?.arguments as { limit?: unknown } | undefined)?.limit);
  return !(limit > 0 && limit <= PAGE);
}

/** How many heavy calls a parsed body (one message or a batch) holds. */
export function heavyCount(parsed: unknown): number {
  return (Array.isArray(parsed) ? parsed : [parsed]).filter(isHeavyCall).length;
}
