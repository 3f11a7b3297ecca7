// How an error quotes a value it was given: a short excerpt, JSON-quoted, with every character
// outside printable ASCII escaped, so no NUL, ESC or lone surrogate reaches a model or a terminal
// and a megabyte argument costs a few dozen bytes.

/** The default number of characters of a value an error shows. */
export const QUOTE_CHARS = 80;

export function quote(value: string, max = QUOTE_CHARS): string {
  const cut = value.length > max;
  const shown = JSON.stringify(cut ? value.slice(0, max) : value)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return cut ? `${shown}… (${value.length} characters)` : shown;
}
