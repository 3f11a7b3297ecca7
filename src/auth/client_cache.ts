// A bounded cache of per-caller clients for passthrough, keyed by the SHA-256 of the caller's
// bearer token (never the token itself). An entry expires after `ttlMs` unused: it is dropped
// when next asked for and by a periodic sweep. Past `max` entries the least recently used one
// goes first. lru-cache (isaacs) does the bookkeeping; this adds the key hashing, the figures
// for /metrics and the sweep.

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

export interface ClientCacheOptions<V> {
  ttlMs: number;
  max: number;
  /** Builds the value for a token that has none cached. Never stores the token elsewhere. */
  create: (token: string) => V;
  observer?: CacheObserver;
  /** Injected in tests; performance by default. */
  clock?: Clock;
}

/**
 * SHA-256 of the token, hex: what the cache and the logs may hold. Web Crypto, because
 * importing node:crypto costs ~300 ms, which stdio start-up would pay.
 */
export async function tokenKey(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The part of LRUCache used here. */
interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): unknown;
  purgeStale(): boolean;
  readonly size: number;
}

export class ClientCache<V extends object> {
  readonly #lru: Lru<V>;
  readonly #opts: ClientCacheOptions<V>;

  private constructor(lru: Lru<V>, opts: ClientCacheOptions<V>) {
    this.#lru = lru;
    this.#opts = opts;
  }

  static async create<V extends object>(opts: ClientCacheOptions<V>): Promise<ClientCache<V>> {
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

  /** The token's value: cached (and touched), else created and cached. */
  async get(token: string): Promise<V> {
    const key = await tokenKey(token);
    const observer = this.#opts.observer;
    let value = this.#lru.get(key);
    if (value) {
      observer?.hit?.();
    } else {
      observer?.miss?.();
      value = this.#opts.create(token);
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
