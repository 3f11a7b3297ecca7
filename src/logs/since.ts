// get_logs' `since`: a Go-style duration (5m, 1h, 2h30m, plus d for days) or an RFC 3339 time.

import { SinceError } from "../errors.ts";

import { parseDuration } from "../duration.ts";

export type Since = { sinceSeconds: number } | { sinceTime: string };

const EXAMPLES = 'use a duration such as "30s", "5m", "2h30m" or "1d", or an RFC 3339 time ' +
  'such as "2026-01-02T15:04:05Z"';

const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function parseSince(text: string): Since {
  const value = text.trim();
  const ms = parseDuration(value);
  if (ms !== undefined) {
    if (ms < 1000) {
      throw new SinceError(
        `since "${text}" must be at least one second into the past; ${EXAMPLES}`,
      );
    }
    return { sinceSeconds: Math.floor(ms / 1000) };
  }
  if (DATE_TIME.test(value)) {
    // A time without a zone is read as UTC, as the reference does.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || value.length === 10
      ? value
      : `${value}Z`;
    const t = Date.parse(zoned.replace(" ", "T"));
    if (!Number.isNaN(t)) return { sinceTime: new Date(t).toISOString().replace(/\.000Z$/, "Z") };
  }
  throw new SinceError(`since "${text}" is neither a duration nor a time; ${EXAMPLES}`);
}
