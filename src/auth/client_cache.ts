// A bounded cache of per-caller clients for passthrough, keyed by the caller's Identity key
// (the SHA-256 of its bearer token, never the token itself). An entry expires after `ttlMs` unused: it is dropped
// when next asked for and by a periodic sweep. Past `max` entries the least recently used one
// goes first. lru-cache (isaacs) does the bookkeeping; this adds the figures for /metrics and
// the sweep.

import { loadLruCache } from "../deps.ts";

export type EvictReason = "expired" | "lru";

/** Figures for /metrics; every method is optional so a caller reports only what it shows. */
export interface CacheObserver {
  hit?(): void;
  miss?(): void;
  evicted?(reason: EvictReason): void;
  size?(entries: number): void;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
}

export interface ClientCacheOptions<V, K> {
  ttlMs: number;
  max: number;
  /** Builds the value for a caller that has none cached. */
  create: (caller: K) => V;
  /** The cache key of a caller (an Identity's key); the caller itself when it is a string. */
  keyOf?: (caller: K) => string;
  observer?: CacheObserver;
  /** Injected in tests; performance by default. */
  clock?: Clock;
}

/** The part of LRUCache used here. */
interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): unknown;
  purgeStale(): boolean;
  readonly size: number;
}

export class ClientCache<V extends object, K = string> {
  readonly #lru: Lru<V>;
  readonly #opts: ClientCacheOptions<V, K>;

  private constructor(lru: Lru<V>, opts: ClientCacheOptions<V, K>) {
    this.#lru = lru;
    this.#opts = opts;
  }

  static async create<V extends object, K = string>(
    opts: ClientCacheOptions<V, K>,
  ): Promise<ClientCache<V, K>> {
    const { LRUCache } = await loadLruCache();
    const observer = opts.observer;
    const lru = new LRUCache<string, V>({
      max: opts.max,
      ttl: opts.ttlMs,
      // The TTL counts from the last use, so an active caller keeps its client.
      updateAgeOnGet: true,
      // Read the clock on every check: lru-cache otherwise caches it for 1 ms with a timer.
      ttlResolution: 0,
      ...(opts.clock ? { perf: opts.clock } : {}),
      dispose: (_value, _key, reason) => {
        if (reason === "expire") observer?.evicted?.("expired");
        if (reason === "evict") observer?.evicted?.("lru");
      },
    }) as unknown as Lru<V>;
    return new ClientCache(lru, opts);
  }

  /** The caller's value: cached (and touched), else created and cached. */
  // deno-lint-ignore require-await
  async get(caller: K): Promise<V> {
    const key = this.#opts.keyOf ? this.#opts.keyOf(caller) : String(caller);
    const observer = this.#opts.observer;
    let value = this.#lru.get(key);
    if (value) {
      observer?.hit?.();
    } else {
      observer?.miss?.();
      value = this.#opts.create(caller);
      this.#lru.set(key, value);
    }
    observer?.size?.(this.#lru.size);
    return value;
  }

  get size(): number {
    return this.#lru.size;
  }

  /** Drops every expired entry now. */
  sweep(): void {
    this.#lru.purgeStale();
    this.#opts.observer?.size?.(this.#lru.size);
  }

  /** Sweeps every `intervalMs` until the returned function is called; never keeps the process up. */
  startSweeping(intervalMs = Math.max(1000, Math.min(this.#opts.ttlMs, 60_000))): () => void {
    const id = setInterval(() => this.sweep(), intervalMs);
    Deno.unrefTimer(id);
    return () => clearInterval(id);
  }
}
