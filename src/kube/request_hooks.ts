// What KubeHttp lets the rest of the process add around each request to an API server, without
// knowing about either: back-pressure (rate_limit.ts) and figures for /metrics.

export interface RequestHooks {
  /**
   * Called before a request is sent, with the request's signal (which carries its timeout);
   * resolves with a function that is called once the request has its answer or has failed.
   */
  admit?(signal: AbortSignal, server: string, path: string): Promise<() => void>;
  /** After each request: the HTTP status, or 0 when no answer came; seconds it took. */
  observe?(method: string, path: string, status: number, seconds: number): void;
}
