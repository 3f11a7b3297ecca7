// Answers held for slow readers count against the memory budget. Every HTTP answer body (and
// every legacy SSE stream) registers here with the bytes it holds that its client has not taken
// yet. When the sum passes the limit, the readers that have gone longest without reading are
// dropped first, until it is back under; a reader that read nothing for `stallMs` while bytes
// wait for it is dropped as well. Each pass that drops logs one line. Without this, each answer
// is bounded (2 MiB) but their sum grows with the number of clients that stop reading.

import { log } from "../log.ts";

export type DropReason = "over_budget" | "stalled";

export interface HeldReader {
  /** Bytes held for this reader now. */
  unsent(): number;
  /** performance.now() of its last read. */
  lastRead(): number;
  /** Ends the reader's response (its connection fails) and releases what it holds. */
  drop(reason: DropReason): void;
}

export interface UnsentObserver {
  dropped?(reason: DropReason, bytes: number): void;
}

const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export class UnsentAnswers {
  readonly #readers = new Set<HeldReader>();
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    readonly limitBytes: number,
    readonly stallMs: number,
    private readonly observer?: UnsentObserver,
  ) {}

  /** Registers a reader; returns the function that removes it. Starts the stall check. */
  add(reader: HeldReader): () => void {
    this.#readers.add(reader);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.enforce(), Math.min(1000, this.stallMs / 2));
      Deno.unrefTimer(this.#timer);
    }
    return () => {
      this.#readers.delete(reader);
      if (this.#readers.size === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** Bytes held for all readers. */
  total(): number {
    let sum = 0;
    for (const r of this.#readers) sum += r.unsent();
    return sum;
  }

  get readers(): number {
    return this.#readers.size;
  }

  /** Drops stalled readers, then the slowest while the sum is over the limit. */
  enforce(now = performance.now()): void {
    const dropped = { stalled: 0, over_budget: 0, bytes: 0 };
    const drop = (r: HeldReader, reason: DropReason, bytes: number) => {
      this.#readers.delete(r);
      r.drop(reason);
      dropped[reason]++;
      dropped.bytes += bytes;
      this.observer?.dropped?.(reason, bytes);
    };
    let total = 0;
    const holding: [HeldReader, number][] = [];
    for (const r of [...this.#readers]) {
      const bytes = r.unsent();
      if (bytes === 0) continue;
      if (now - r.lastRead() > this.stallMs) drop(r, "stalled", bytes);
      else (holding.push([r, bytes]), total += bytes);
    }
    if (total > this.limitBytes) {
      // Slowest first: the longest since a read; a reader that keeps up reads every moment.
      holding.sort(([a], [b]) => a.lastRead() - b.lastRead());
      for (const [r, bytes] of holding) {
        if (total <= this.limitBytes) break;
        total -= bytes;
        drop(r, "over_budget", bytes);
      }
    }
    if (dropped.stalled + dropped.over_budget > 0) {
      log(
        `Dropped ${dropped.stalled + dropped.over_budget} answer(s) to clients that stopped ` +
          `reading (${dropped.over_budget} slowest while unsent answers passed ` +
          `${MiB(this.limitBytes)}, ${dropped.stalled} with nothing read for ` +
          `${this.stallMs / 1000}s): ${MiB(dropped.bytes)} released, ${MiB(total)} still held`,
      );
    }
  }

  /** Called when a reader's holding grew: checks the sum at once, not at the next tick. */
  grew(): void {
    // total() walks every reader; only answers of many clients make that list long, and then
    // this check is what keeps them bounded.
    if (this.total() > this.limitBytes) this.enforce();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Answers up to this size are sent whole, untracked: a socket's send buffer holds them. */
const SMALL_ANSWER = 64 * 1024;

/** What a tracked answer body handed to the connection, in pieces of at most this. */
const PIECE = 64 * 1024;

/**
 * The response with its body held in this process and handed to the connection only as the
 * client reads, counted in `ledger`. `done` runs once the source body has been read to its end
 * (the answer is complete: the call's slot can go) or has failed or been dropped.
 */
export async function trackedResponse(
  res: Response,
  ledger: UnsentAnswers,
  done: () => void,
): Promise<Response> {
  if (!res.body) {
    done();
    return res;
  }
  // A JSON answer is complete when the SDK returns it. A small one goes out as plain bytes:
  // the socket's buffer takes it whole, and a stream per answer cost the runtime more memory
  // (per connection) than the answer itself.
  if (res.headers.get("content-type")?.startsWith("application/json")) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } finally {
      done();
    }
    if (bytes.byteLength <= SMALL_ANSWER) {
      return new Response(bytes, { status: res.status, headers: res.headers });
    }
    res = new Response(bytes, { status: res.status, headers: res.headers });
    done = () => {};
  }
  const source = res.body!.getReader();
  const pieces: Uint8Array[] = [];
  let held = 0;
  let last = performance.now();
  let sourceDone = false;
  let finished = false;
  let wake: (() => void) | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const finishSource = () => {
    if (sourceDone) return;
    sourceDone = true;
    done();
    wake?.();
  };
  const release = () => {
    if (finished) return;
    finished = true;
    pieces.length = 0;
    held = 0;
    remove();
    source.cancel().catch(() => {});
    finishSource();
  };
  const remove = ledger.add({
    unsent: () => held,
    lastRead: () => last,
    drop: (reason) => {
      try {
        controller.error(
          new Error(
            reason === "stalled"
              ? "the client read nothing for too long"
              : "unsent answers passed the memory budget",
          ),
        );
      } catch {
        // Already closed.
      }
      release();
    },
  });
  // Reads the source as fast as it produces (the SDK writes the answer at once), so the bytes
  // it holds are counted here rather than hidden in its stream's queue.
  (async () => {
    try {
      while (!finished) {
        const { value, done: end } = await source.read();
        if (end) break;
        if (finished) break;
        pieces.push(value);
        held += value.byteLength;
        wake?.();
        ledger.grew();
      }
    } catch {
      // The source failed: what was read is sent, then the body ends.
    }
    finishSource();
  })();
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    pull: async (c) => {
      while (!finished && pieces.length === 0 && !sourceDone) {
        const { promise, resolve } = Promise.withResolvers<void>();
        wake = resolve;
        await promise;
        wake = undefined;
      }
      if (finished) return;
      const head = pieces[0];
      if (!head) {
        release();
        c.close();
        return;
      }
      const piece = head.byteLength > PIECE ? head.subarray(0, PIECE) : head;
      if (piece === head) pieces.shift();
      else pieces[0] = head.subarray(PIECE);
      held -= piece.byteLength;
      last = performance.now();
      c.enqueue(piece);
    },
    cancel: () => release(),
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}
