// Admission of tool calls: at most `max` run at once; more wait in a FIFO queue bounded by count,
// by the bytes of their request bodies and by time. A call that finds the queue full, or waits
// past its bound, is refused with the reason, so the HTTP transports can answer 429 (as the API
// server's --max-requests-inflight does) instead of holding without bound. Stdio, one caller,
// uses it with no bounds: a queue is enough there.

export type Refusal = "queue_full" | "wait_timeout" | "sessions_full";

export interface Busy {
  busy: true;
  reason: Refusal;
  /** Seconds after which a retry is worth it, for Retry-After. */
  retryAfterS: number;
  message: string;
}

export interface Permit {
  busy: false;
  /** Gives back `n` of the permit's slots (all that are left by default). Idempotent. */
  release(n?: number): void;
}

export interface AdmissionObserver {
  /** Calls running and waiting, after every change. */
  changed?(running: number, queued: number): void;
  refused?(reason: Refusal): void;
}

export interface AdmissionLimits {
  max: number;
  queueLength: number;
  queueBytes: number;
  queueWaitMs: number;
  /**
   * How many heavy calls the memory left holds now. A heavy call starts only within it, or when
   * no other heavy call runs: the server keeps making progress one at a time and never stacks big
   * lists on a full heap. Light calls only count against `max`.
   */
  capacity?: () => number;
}

/** While calls wait on memory alone, how often it is looked at again (a GC may free some). */
const PRESSURE_RECHECK_MS = 50;

interface Waiter {
  n: number;
  heavy: number;
  bytes: number;
  grant: (p: Permit | Busy) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class Admission {
  #running = 0;
  #runningHeavy = 0;
  #queuedCalls = 0;
  #queuedBytes = 0;
  readonly #queue: Waiter[] = [];
  #recheck?: ReturnType<typeof setTimeout>;

  constructor(readonly limits: AdmissionLimits, private readonly observer?: AdmissionObserver) {}

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queuedCalls;
  }

  /**
   * Slots for `calls` tool calls (a batch takes several; at most `max`) holding `heavy` heavy
   * units (src/budget/heavy.ts: one per unpaged list, more for a fan-out list), whose request
   * body is `bytes` long. Resolves with a permit, or with
   * why not.
   */
  acquire(calls: number, bytes = 0, heavy = 0): Promise<Permit | Busy> {
    const n = Math.max(1, Math.min(calls, this.limits.max));
    const h = Math.max(0, heavy);
    if (this.#queue.length === 0 && this.#fits(n, h)) return Promise.resolve(this.#grant(n, h));
    const { queueLength, queueBytes, queueWaitMs } = this.limits;
    if (this.#queuedCalls + n > queueLength || this.#queuedBytes + bytes > queueBytes) {
      return Promise.resolve(this.#refuse("queue_full"));
    }
    const { promise, resolve } = Promise.withResolvers<Permit | Busy>();
    const waiter: Waiter = { n, heavy: h, bytes, grant: resolve };
    if (Number.isFinite(queueWaitMs)) {
      waiter.timer = setTimeout(() => {
        this.#dequeue(waiter);
        resolve(this.#refuse("wait_timeout"));
      }, queueWaitMs);
    }
    this.#queue.push(waiter);
    this.#queuedCalls += n;
    this.#queuedBytes += bytes;
    this.#changed();
    this.#watchPressure();
    return promise;
  }

  /** Whether n more calls, `heavy` of them heavy, may start now. */
  #fits(n: number, heavy: number): boolean {
    if (this.#running + n > this.limits.max) return false;
    if (heavy === 0 || this.#runningHeavy === 0) return true;
    return this.#runningHeavy + heavy <= (this.limits.capacity?.() ?? Infinity);
  }

  /** Calls wait on memory alone (slots are free): look again soon, as a GC may free it. */
  #watchPressure(): void {
    if (this.#recheck || this.#queue.length === 0 || !this.limits.capacity) return;
    if (this.#running + this.#queue[0]!.n > this.limits.max) return;
    this.#recheck = setTimeout(() => {
      this.#recheck = undefined;
      this.#pump();
    }, PRESSURE_RECHECK_MS);
  }

  #grant(n: number, heavy: number): Permit {
    this.#running += n;
    this.#runningHeavy += heavy;
    this.#changed();
    let left = n;
    return {
      busy: false,
      release: (k = left) => {
        const give = Math.min(k, left);
        if (give <= 0) return;
        left -= give;
        this.#running -= give;
        // Which calls of a batch finished is not known here: its heavy ones count to its end.
        if (left === 0) this.#runningHeavy -= heavy;
        this.#pump();
      },
    };
  }

  /** Counts a refusal decided elsewhere (the SSE session bound). */
  refused(reason: Refusal): void {
    this.observer?.refused?.(reason);
  }

  #refuse(reason: Refusal): Busy {
    this.observer?.refused?.(reason);
    const { max, queueLength, queueWaitMs } = this.limits;
    const why = reason === "queue_full"
      ? `${max} tool calls are running and ${this.#queuedCalls} are waiting (at most ` +
        `${queueLength})`
      : `no tool call slot came free within ${Math.round(queueWaitMs / 1000)}s ` +
        `(${max} run at once)`;
    return {
      busy: true,
      reason,
      // A slot frees in about a call's time; a second is the granularity Retry-After has.
      retryAfterS: reason === "queue_full" ? 2 : 5,
      message: `Server busy: ${why}. Retry later, or spread the calls over more replicas`,
    };
  }

  #dequeue(w: Waiter): void {
    const i = this.#queue.indexOf(w);
    if (i < 0) return;
    this.#queue.splice(i, 1);
    this.#queuedCalls -= w.n;
    this.#queuedBytes -= w.bytes;
    clearTimeout(w.timer);
  }

  /** Grants waiters in order while the head fits. */
  #pump(): void {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (!this.#fits(head.n, head.heavy)) break;
      this.#dequeue(head);
      head.grant(this.#grant(head.n, head.heavy));
    }
    this.#changed();
    this.#watchPressure();
  }

  #changed(): void {
    this.observer?.changed?.(this.#running, this.#queuedCalls);
  }
}
