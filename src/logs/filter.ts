// Streams a log through the filters, line by line, keeping only the last `maxLines` matching
// lines and at most `maxBytes` of text: memory stays flat however large the log is.
//
// Written by hand (no library streams lines with these caps). A grep for literal text reads a
// chunk at a time: one search for the needles and one count of the line ends, and only the
// lines holding a needle become strings. On the benchmark's 154 MB log with 10 matching lines,
// splitting every line and testing each for control characters was most of the call's time.

import type { Matcher } from "./patterns.ts";

export interface FilterOptions {
  include?: Matcher;
  exclude?: Matcher;
  maxLines?: number;
  maxBytes: number;
  /**
   * Lines start with the kubelet's timestamp and a space: the patterns then match the message
   * after it, and the line keeps it.
   */
  timestamps?: boolean;
  /**
   * Paging: skip this many matching lines, then return the FIRST maxLines (not the last) that
   * fit maxBytes, and stop reading as soon as one more matching line shows there is more.
   */
  skip?: number;
}

export interface FilterResult {
  lines: string[];
  /** Lines read from the API (after its own since/tail windows). */
  totalLines: number;
  /** Lines that passed the filters, before max_lines and the byte cap. */
  matchingLines: number;
  /** Matching lines left out by the byte cap (max_lines is asked for, so it is not counted). */
  droppedForBytes: number;
  /** Paging only: more matching lines follow this page (reading stopped there). */
  more?: boolean;
}

// CSI and OSC sequences, then any other C0/C1 control but tab: colour codes and cursor moves
// mean nothing to a model and can hide text.
const CONTROL =
  // deno-lint-ignore no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * What a terminal would show: CRLF endings dropped, a carriage return inside a line (progress
 * bars) keeps only what was written after it, and escape sequences and controls removed.
 */
// The same set as CONTROL's last class (C0 but tab and line feed, DEL, C1), written as what it
// is not: V8 scans a negated class of wide ranges about twice as fast, and the chunk search
// below runs it over every byte of a log.
export const ANY_CONTROL = /[^\t\n\x20-\x7e\xa0-\uffff]/;

export function stripControl(line: string): string {
  // Most lines have no control character at all; one cheap test skips the full pass for them.
  if (!ANY_CONTROL.test(line)) return line;
  const trimmed = line.endsWith("\r") ? line.replace(/\r+$/, "") : line;
  const shown = trimmed.includes("\r") ? trimmed.slice(trimmed.lastIndexOf("\r") + 1) : trimmed;
  return shown.replace(CONTROL, "");
}

/** A longer line is cut: one JSON dump must not take the whole answer. */
export const MAX_LINE_CHARS = 16 * 1024;

function utf8Length(s: string): number {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : new TextEncoder().encode(s).length;
}

class TailBuffer {
  #lines: string[] = [];
  #start = 0;
  #bytes = 0;
  dropped = 0;
  constructor(readonly maxLines: number, readonly maxBytes: number) {}

  push(line: string): void {
    this.#lines.push(line);
    this.#bytes += utf8Length(line) + 1;
    while (this.#lines.length - this.#start > this.maxLines) this.#shift(false);
    while (this.#bytes > this.maxBytes && this.#lines.length - this.#start > 0) this.#shift(true);
    if (this.#start > 4096 && this.#start * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#start);
      this.#start = 0;
    }
  }

  #shift(forBytes: boolean): void {
    this.#bytes -= utf8Length(this.#lines[this.#start]!) + 1;
    this.#lines[this.#start++] = "";
    if (forBytes) this.dropped++;
  }

  lines(): string[] {
    return this.#lines.slice(this.#start);
  }
}

/** The message of a `<RFC 3339 time> <message>` line. */
function message(line: string): string {
  const space = line.indexOf(" ");
  return space < 0 ? line : line.slice(space + 1);
}

/** Line ends ("\n") in text[from, to). */
function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Starts of the lines in text[from, end) that contain any needle, ascending, once each: `from`
 * is a line start and `end` a line end.
 */
export function lineStartsWithNeedle(
  text: string,
  from: number,
  end: number,
  needles: readonly string[],
): number[] {
  const starts = new Set<number>();
  for (const needle of needles) {
    // i may reach `end` itself: only an empty needle matches there (an empty last line).
    for (let i = text.indexOf(needle, from); i >= 0 && i <= end;) {
      const start = i === from ? from : text.lastIndexOf("\n", i - 1) + 1;
      const stop = text.indexOf("\n", i);
      // A needle that runs over the line end is not in that line (take() checks every line
      // again with the real matcher, so a line found here is only a candidate).
      if (stop >= i + needle.length) {
        starts.add(Math.max(start, from));
        i = text.indexOf(needle, stop + 1);
      } else {
        i = text.indexOf(needle, i + 1);
      }
    }
  }
  return [...starts].sort((a, b) => a - b);
}

export async function filterLog(
  stream: ReadableStream<Uint8Array>,
  opts: FilterOptions,
): Promise<FilterResult> {
  const paging = opts.skip !== undefined;
  const tail = new TailBuffer(opts.maxLines ?? Infinity, opts.maxBytes);
  const page: string[] = [];
  let pageBytes = 0;
  let more = false;
  let total = 0;
  let matching = 0;
  /** Returns true when the page is full and reading can stop. */
  const take = (raw: string): boolean => {
    total++;
    let line = stripControl(raw);
    if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS)} …[line cut]`;
    const text = opts.timestamps ? message(line) : line;
    if (opts.include && !opts.include(text)) return false;
    if (opts.exclude && opts.exclude(text)) return false;
    matching++;
    if (!paging) {
      tail.push(line);
      return false;
    }
    if (matching <= opts.skip!) return false;
    const size = utf8Length(line) + 1;
    if (page.length >= (opts.maxLines ?? Infinity) || pageBytes + size > opts.maxBytes) {
      more = true;
      return true;
    }
    page.push(line);
    pageBytes += size;
    return false;
  };
  const needles = opts.include?.needles;
  /** Takes the lines of text[from, end), `end` being a line end; true when reading can stop. */
  const takeLines = (text: string, from: number, end: number): boolean => {
    if (needles && !ANY_CONTROL.test(text)) {
      // No control character here, so every line is its own text (stripControl would return it
      // unchanged) and a line without a needle cannot pass the include filter: it only counts.
      for (const start of lineStartsWithNeedle(text, from, end, needles)) {
        total += countLines(text, from, start);
        const stop = text.indexOf("\n", start);
        if (take(text.slice(start, stop))) return true;
        from = stop + 1;
      }
      total += countLines(text, from, end + 1);
      return false;
    }
    for (const line of text.slice(from, end).split("\n")) if (take(line)) return true;
    return false;
  };
  // A line with no end in sight is taken in pieces rather than held whole.
  const LONG = 1024 * 1024;
  const decoder = new TextDecoder();
  let rest = "";
  let stopped = false;
  // Each chunk is decoded and searched where it lies: the partial line carried over from the
  // previous chunk is joined only to the start of this one, not to the whole chunk.
  for await (const bytes of stream) {
    const chunk = decoder.decode(bytes, { stream: true });
    const first = chunk.indexOf("\n");
    if (first < 0) {
      rest += chunk;
    } else {
      const end = chunk.lastIndexOf("\n");
      if (take(rest + chunk.slice(0, first)) || (end > first && takeLines(chunk, first + 1, end))) {
        stopped = true;
        break;
      }
      rest = chunk.slice(end + 1);
    }
    if (rest.length > LONG) {
      if (take(rest)) {
        stopped = true;
        break;
      }
      rest = "";
    }
  }
  if (!stopped) {
    rest += decoder.decode();
    if (rest !== "") take(rest);
  }
  if (paging) {
    return {
      lines: page,
      totalLines: total,
      matchingLines: matching,
      droppedForBytes: 0,
      more,
    };
  }
  return {
    lines: tail.lines(),
    totalLines: total,
    matchingLines: matching,
    droppedForBytes: tail.dropped,
  };
}
