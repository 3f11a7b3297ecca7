// Evidence checks: did a server's answers to one task contain the facts that answer it? Pure.
//
// The check looks for facts, never for a layout: the same facts must be found in a kubectl table,
// in compact JSON rows, in a whole object as JSON or YAML, or in describe text. A fact about one
// object (a pod, a node) must be found in that object's part of an answer: the text from a
// mention of its name up to the next mention of another object of the same task (a table row, a
// list item, or the rest of a one-object answer), so "crashloop" and "CrashLoopBackOff" on
// different rows of a pod table do not count together.

/** A string (exact, case-sensitive), a pattern, or an array of alternatives (any one will do). */
export type Needle = string | RegExp | readonly Needle[];

export interface Fact {
  /** What the fact says, for the report when it is missing. */
  label: string;
  /** The object the fact is about; absent: anywhere in one answer. */
  subject?: string;
  /** Every needle must be found in the same answer (and in the subject's part of it). */
  needles: readonly Needle[];
}

export interface Evidence {
  found: boolean;
  /** Labels of the facts not found. */
  missing: string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Where a name is mentioned as a whole name: not inside a longer name (web in web-7d4b9c8f6d, or
 * worker in bulk-worker). Names are DNS labels, so a neighbour of letters, digits, "-" or "_" (or
 * a "." before) makes it part of something longer; a "." after may end a sentence or start an
 * event's name suffix (crashloop.backoff is about crashloop).
 */
export function mentions(text: string, name: string): number[] {
  const re = new RegExp(`(?<![A-Za-z0-9_.-])${escapeRegExp(name)}(?![A-Za-z0-9_-])`, "g");
  return [...text.matchAll(re)].map((m) => m.index!);
}

/**
 * The parts of text about subject: from each mention of it to the next mention of one of the
 * other names (or the end).
 */
export function segments(text: string, subject: string, others: readonly string[]): string[] {
  const starts = mentions(text, subject);
  if (starts.length === 0) return [];
  const stops = others.filter((o) => o !== subject).flatMap((o) => mentions(text, o))
    .sort((a, b) => a - b);
  return starts.map((start) => {
    const stop = stops.find((s) => s > start) ?? text.length;
    return text.slice(start, stop);
  });
}

export function matches(text: string, needle: Needle): boolean {
  if (typeof needle === "string") return text.includes(needle);
  if (needle instanceof RegExp) return new RegExp(needle.source, needle.flags).test(text);
  return (needle as readonly Needle[]).some((n) => matches(text, n));
}

/**
 * Runs of white space as one space: YAML folds a long message over lines, a table pads cells, and
 * the facts do not depend on either.
 */
export function squash(text: string): string {
  return text.replace(/\s+/g, " ");
}

function holds(text: string, fact: Fact, names: readonly string[]): boolean {
  const parts = fact.subject === undefined ? [text] : segments(text, fact.subject, names);
  return parts.some((part) => fact.needles.every((n) => matches(part, n)));
}

/**
 * Checks the facts against the texts of the successful answers (an error's text is not
 * evidence). `names`: the objects the task's facts are about and their siblings in the answers
 * (e.g. every pod of the namespace), which bound each subject's part of an answer.
 */
export function checkEvidence(
  texts: readonly string[],
  facts: readonly Fact[],
  names: readonly string[] = [],
): Evidence {
  const all = [...new Set([...names, ...facts.flatMap((f) => f.subject ?? [])])];
  const squashed = texts.map(squash);
  const missing = facts.filter((f) => !squashed.some((t) => holds(t, f, all))).map((f) => f.label);
  return { found: missing.length === 0, missing };
}
