// Client-side back-pressure toward each API server: a token bucket (QPS on average, bursts up
// to `burst`) and a bound on requests in flight. Callers wait their turn in order; a wait that
// outlives the request's signal (its timeout) ends with a clear error instead of a hang.
//
// Written by hand: the npm limiters (limiter, bottleneck, p-limit) take no AbortSignal, so a
// timed-out waiter would keep its place and its token; this is a reservation bucket as in Go's
// x/time/rate, where a cancelled waiter gives its token back, plus a FIFO semaphore.

import { KubeConnectionError } from "./errors.ts";

export interface RateSettings {
  /** Tokens per second; 0 or less turns the bucket off. */
  qps: number;
  burst: number;
  maxInFlight: number;
}

export interface LimiterClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realClock: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const id = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(id);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Waits, in milliseconds, reported to /metrics; only waits that happened. */
export type WaitObserver = (server: string, kind: "rate" | "in_flight", ms: number) => void;

/**
 * API discovery (/api, /api/v1, /apis, /apis/GROUP, /apis/GROUP/VERSION): fetched once per client
 * and cached, some forty requests at once on a cluster with a few groups. As kubectl's discovery
 * client has its own, far larger burst, discovery skips the token bucket here (the in-flight
 * bound still applies); otherwise every start-up check and every new passthrough caller would
 * spend the whole burst, and wait, before its first real request.
 */
export function isDiscovery(path: string): boolean {
  const p = path.split("?")[0]!.split("/").filter((s) => s !== "");
  return (p[0] === "api" && p.length <= 2) || (p[0] === "apis" && p.length <= 3);
}

/** Thrown when the request's signal ends while it waits for the limiter. */
export class RateLimitTimeout extends KubeConnectionError {
  override name = "RateLimitTimeout";
}

export class TokenBucket {
  #tokens: number;
  #last: number;
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: LimiterClock;

  constructor(qps: number, burst: number, clock: LimiterClock = realClock) {
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** Takes a token, waiting for it if none is left; returns how long it waited (ms). */
  async take(signal: AbortSignal): Promise<number> {
    if (this.#qps <= 0) return 0;
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#qps / 1000);
    this.#last = now;
    // Reserve now (the count may go negative): later callers queue behind this one.
    this.#tokens -= 1;
    if (this.#tokens >= 0) return 0;
    const wait = -this.#tokens * 1000 / this.#qps;
    try {
      await this.#clock.sleep(wait, signal);
    } catch (e) {
      this.#tokens += 1;
      throw e;
    }
    return wait;
  }
}

export class InFlight {
  #active = 0;
  readonly #max: number;
  readonly #queue: (() => void)[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  get active(): number {
    return this.#active;
  }

  /** True when the next acquire has to wait. */
  get full(): boolean {
    return this.#active >= this.#max;
  }

  /** Resolves with a release function once a slot is free; rejects when `signal` ends first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    const release = () => {
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    };
    if (this.#active < this.#max) {
      this.#active++;
      return Promise.resolve(once(release));
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        resolve(once(release));
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(grant);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal.reason);
      };
      this.#queue.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) (done = true, fn());
  };
}

/** One bucket and one in-flight bound per API server, shared by every caller of the process. */
export class RateLimits {
  readonly #settings: RateSettings;
  readonly #servers = new Map<string, { bucket: TokenBucket; inFlight: InFlight }>();
  readonly #clock: LimiterClock;
  onWait?: WaitObserver;

  constructor(settings: RateSettings, clock: LimiterClock = realClock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  #for(server: string) {
    let s = this.#servers.get(server);
    if (!s) {
      const { qps, burst, maxInFlight } = this.#settings;
      s = { bucket: new TokenBucket(qps, burst, this.#clock), inFlight: new InFlight(maxInFlight) };
      this.#servers.set(server, s);
    }
    return s;
  }

  /**
   * Waits for a token and a free slot toward `server`; returns the slot's release. When
   * `signal` ends first (the request timeout), throws RateLimitTimeout saying what to change.
   */
  async admit(server: string, signal: AbortSignal, path = ""): Promise<() => void> {
    const { bucket, inFlight } = this.#for(server);
    const start = this.#clock.now();
    try {
      const waited = isDiscovery(path) ? 0 : await bucket.take(signal);
      if (waited > 0) this.onWait?.(server, "rate", waited);
      if (!inFlight.full) return await inFlight.acquire(signal);
      const before = this.#clock.now();
      const release = await inFlight.acquire(signal);
      this.onWait?.(server, "in_flight", this.#clock.now() - before);
      return release;
    } catch (e) {
      if (!(e instanceof DOMException && e.name === "TimeoutError")) throw e;
      const { qps, burst, maxInFlight } = this.#settings;
      const secs = ((this.#clock.now() - start) / 1000).toFixed(1);
      throw new RateLimitTimeout(
        "timeout",
        `waited ${secs}s for this server's own rate limit toward ${server} ` +
          `(--qps ${qps}, --burst ${burst}, --max-in-flight ${maxInFlight}) and the request ` +
          `timeout ran out before it was sent: too many calls at once. Try again in a moment; ` +
          `the operator can raise --qps, --burst or --request-timeout`,
        server,
      );
    }
  }
}
