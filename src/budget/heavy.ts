// Which tool calls are heavy: the unpaged lists. One list of 1,500 pods holds ~45 MiB while it
// runs (the API server's JSON parsed whole), a hundred times a get. Admission lets heavy calls
// start only while the memory left holds one more (src/budget/budget.ts memoryCapacity); the
// others only count against the slots, so calls that wait on the API server (or its rate limit)
// do not queue behind memory they do not use. Judged from the request alone, before the call runs:
// a list with a small `limit` is a page, not a heavy call.
//
// A fan-out call (`context: "*"` or a list, src/tools/_fan_out.ts) is one tool call: it takes one
// slot, since its contexts run inside it, bounded by the wrapper. Its memory is not one list's,
// though: up to FAN_OUT_AT_ONCE contexts' lists are parsed at once, so an unpaged fan-out list
// weighs that many heavy units (a list of contexts: as many as it names, up to that bound).

const LISTS = new Set(["list_resources", "get_pod_metrics", "get_node_metrics"]);

/** The largest `limit` that still counts as a page. */
export const PAGE = 500;

/**
 * Contexts a fan-out call runs at once: src/tools/_fan_out.ts MAX_IN_FLIGHT (kept equal by
 * tests/budget/budget_test.ts; budget/ sits below tools/ and cannot import it).
 */
export const FAN_OUT_AT_ONCE = 4;

/** Heavy units of one message: 0 (light), 1 (an unpaged list), more for a fan-out list. */
export function heavyWeight(message: unknown): number {
  const m = message as { method?: unknown; params?: { name?: unknown; arguments?: unknown } };
  if (m?.method !== "tools/call" || !LISTS.has(m.params?.name as string)) return 0;
  const args = m.params?.arguments as { limit?: unknown; context?: unknown } | undefined;
  const limit = Number(args?.limit);
  if (limit > 0 && limit <= PAGE) return 0;
  const context = args?.context;
  if (context === "*") return FAN_OUT_AT_ONCE;
  if (Array.isArray(context)) return Math.max(1, Math.min(FAN_OUT_AT_ONCE, context.length));
  return 1;
}

export function isHeavyCall(message: unknown): boolean {
  return heavyWeight(message) > 0;
}

/** How many heavy units a parsed body (one message or a batch) holds. */
export function heavyCount(parsed: unknown): number {
  return (Array.isArray(parsed) ? parsed : [parsed]).reduce<number>(
    (sum, m) => sum + heavyWeight(m),
    0,
  );
}
