// A SPDY/3.1 client session, the part the Kubernetes port-forward protocol (portforward.k8s.io)
// uses: client-opened streams, data frames with FIN, RST_STREAM, PING echo, GOAWAY. Written by
// hand because no maintained npm package speaks SPDY (node-spdy is a server for HTTP over SPDY
// and unmaintained), and the subset is small. Flow control is not implemented: the Go peer
// (moby/spdystream, behind every API server and kubelet) ignores WINDOW_UPDATE, as kubectl does.
//
// Header blocks: SPDY/3 compresses them with one zlib stream per direction, primed with a fixed
// dictionary. Ours are written as zlib *stored* (uncompressed) deflate blocks: a valid zlib
// stream any inflater reads, with no compressor to load (node:zlib costs start-up time, and the
// headers are three short pairs). The server's header blocks (empty SYN_REPLYs) are skipped
// unread: nothing in them is used.

const VERSION = 3;
const TYPE = { SYN_STREAM: 1, SYN_REPLY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7 };
const FLAG_FIN = 0x01;
/** RST_STREAM status codes (SPDY/3 §2.6.3) used or reported here. */
const RST = { PROTOCOL_ERROR: 1, REFUSED_STREAM: 3, CANCEL: 5 } as const;
const RST_NAMES: Record<number, string> = {
  1: "PROTOCOL_ERROR",
  2: "INVALID_STREAM",
  3: "REFUSED_STREAM",
  4: "UNSUPPORTED_VERSION",
  5: "CANCEL",
  6: "INTERNAL_ERROR",
  7: "FLOW_CONTROL_ERROR",
  8: "STREAM_IN_USE",
  9: "STREAM_ALREADY_CLOSED",
  11: "FRAME_TOO_LARGE",
};
/** The largest data frame payload we send (the field allows 16 MiB; kubectl's peers use 32 KiB). */
const MAX_DATA = 32 * 1024;
/** Adler-32 of the SPDY/3 header dictionary (draft-mbelshe-httpbis-spdy-00 §2.6.10.1). */
const DICTIONARY_ID = 0xe3c6a7c2;

/** The zlib stream header for a stream primed with the SPDY dictionary (FDICT set, DICTID). */
function zlibHeader(): Uint8Array {
  const cmf = 0x78; // deflate, 32 KiB window
  let flg = 0x20; // FDICT, fastest level bits 0
  flg += 31 - ((cmf * 256 + flg) % 31); // FCHECK
  const out = new Uint8Array(6);
  out[0] = cmf;
  out[1] = flg;
  new DataView(out.buffer).setUint32(2, DICTIONARY_ID);
  return out;
}

/** One non-final stored deflate block holding `data` (at most 65535 bytes). */
function storedBlock(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  const v = new DataView(out.buffer);
  out[0] = 0; // BFINAL 0, BTYPE 00, padded to the byte
  v.setUint16(1, data.length, true);
  v.setUint16(3, ~data.length & 0xffff, true);
  out.set(data, 5);
  return out;
}

function headerBlock(headers: Record<string, string>): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    const name = enc.encode(k.toLowerCase());
    const value = enc.encode(v);
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function controlFrame(type: number, flags: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0x8000 | VERSION);
  v.setUint16(2, type);
  v.setUint32(4, (flags << 24) | payload.length);
  out.set(payload, 8);
  return out;
}

function dataFrame(streamId: number, flags: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, streamId & 0x7fffffff);
  v.setUint32(4, (flags << 24) | payload.length);
  out.set(payload, 8);
  return out;
}

/** A byte stream the session delivers a stream's data frames to. */
export interface SpdyStream {
  readonly id: number;
  /** Resolves when the server accepted the stream (SYN_REPLY); rejects on RST_STREAM or close. */
  readonly replied: Promise<void>;
  /** Incoming data, ending at the server's FIN (or erroring on reset / session end). */
  readonly readable: ReadableStream<Uint8Array>;
  write(data: Uint8Array): Promise<void>;
  /** Half-close: FIN. */
  closeWrite(): Promise<void>;
  /** RST_STREAM CANCEL (idempotent). */
  reset(): void;
}

interface StreamState {
  id: number;
  controller: ReadableStreamDefaultController<Uint8Array>;
  reply: { resolve: () => void; reject: (e: Error) => void };
  remoteClosed: boolean;
  localClosed: boolean;
  reset: boolean;
  /** Set while the reader is behind: the session's read loop waits for it. */
  drained?: () => void;
}

/**
 * How much of one stream's incoming data may wait for its reader. Past that the session stops
 * reading the connection until the reader catches up, so a slow local client slows the pod's
 * side down (TCP backpressure) instead of filling memory. SPDY's own flow control would pause
 * one stream only; the Go peer does not implement it.
 */
const STREAM_BUFFER_BYTES = 1024 * 1024;

/** What a session needs from its connection (a Deno.Conn, or any duplex byte pipe). */
export interface ByteConn {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  close(): void;
}

export class SpdySession {
  readonly #conn: ByteConn;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #streams = new Map<number, StreamState>();
  #nextId = 1;
  #headerStarted = false;
  #closedReason: string | undefined;
  #writeChain: Promise<void> = Promise.resolve();
  readonly closed: Promise<string>;
  #resolveClosed!: (why: string) => void;
  /** Bytes carried in data frames, both ways (control frames not counted). */
  bytesIn = 0;
  bytesOut = 0;

  constructor(conn: ByteConn, initial: Uint8Array = new Uint8Array()) {
    this.#conn = conn;
    this.#writer = conn.writable.getWriter();
    this.closed = new Promise((r) => (this.#resolveClosed = r));
    this.#readLoop(initial).catch((e) => this.#end(`connection error: ${errMsg(e)}`));
  }

  get isClosed(): boolean {
    return this.#closedReason !== undefined;
  }

  #write(bytes: Uint8Array): Promise<void> {
    const p = this.#writeChain.then(() => {
      if (this.#closedReason !== undefined) {
        throw new Error(`session closed: ${this.#closedReason}`);
      }
      return this.#writer.write(bytes);
    });
    this.#writeChain = p.catch(() => {});
    return p;
  }

  /** Opens a stream with these headers (names lower-cased); `fin` half-closes it at once. */
  openStream(headers: Record<string, string>, fin = false): SpdyStream {
    if (this.#closedReason !== undefined) {
      throw new Error(`the tunnel is closed: ${this.#closedReason}`);
    }
    const id = this.#nextId;
    this.#nextId += 2;
    let reply!: StreamState["reply"];
    const replied = new Promise<void>((resolve, reject) => (reply = { resolve, reject }));
    replied.catch(() => {});
    let state!: StreamState;
    const readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        state = {
          id,
          controller,
          reply,
          remoteClosed: false,
          localClosed: fin,
          reset: false,
        };
      },
      pull: () => {
        state.drained?.();
        state.drained = undefined;
      },
      cancel: () => this.#reset(state, RST.CANCEL),
    }, new ByteLengthQueuingStrategy({ highWaterMark: STREAM_BUFFER_BYTES }));
    this.#streams.set(id, state);
    // The data, then an empty stored block: zlib's sync-flush marker, after which an inflater
    // (Go's flate among them) hands out everything so far without reading ahead into the next
    // frame's block.
    const block = concat([storedBlock(headerBlock(headers)), storedBlock(new Uint8Array())]);
    const compressed = this.#headerStarted ? block : concat([zlibHeader(), block]);
    this.#headerStarted = true;
    const payload = new Uint8Array(10 + compressed.length);
    const v = new DataView(payload.buffer);
    v.setUint32(0, id);
    v.setUint32(4, 0); // associated stream
    v.setUint16(8, 0); // priority 0, slot 0
    payload.set(compressed, 10);
    this.#write(controlFrame(TYPE.SYN_STREAM, fin ? FLAG_FIN : 0, payload)).catch(() => {});
    return {
      id,
      replied,
      readable,
      write: async (data) => {
        for (let at = 0; at < data.length; at += MAX_DATA) {
          const chunk = data.subarray(at, at + MAX_DATA);
          if (state.reset || state.localClosed) throw new Error(`stream ${id} is closed`);
          await this.#write(dataFrame(id, 0, chunk));
          this.bytesOut += chunk.length;
        }
      },
      closeWrite: async () => {
        if (state.localClosed || state.reset) return;
        state.localClosed = true;
        await this.#write(dataFrame(id, FLAG_FIN, new Uint8Array()));
        this.#maybeForget(state);
      },
      reset: () => this.#reset(state, RST.CANCEL),
    };
  }

  #reset(state: StreamState, status: number): void {
    if (state.reset || this.#closedReason !== undefined) return;
    state.reset = true;
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setUint32(0, state.id);
    new DataView(payload.buffer).setUint32(4, status);
    this.#write(controlFrame(TYPE.RST_STREAM, 0, payload)).catch(() => {});
    this.#finish(state, new Error("stream reset"));
  }

  #finish(state: StreamState, error?: Error): void {
    this.#streams.delete(state.id);
    state.drained?.();
    state.drained = undefined;
    state.reply.reject(error ?? new Error("stream closed"));
    try {
      if (error) state.controller.error(error);
      else state.controller.close();
    } catch {
      // already closed
    }
  }

  #maybeForget(state: StreamState): void {
    if (state.localClosed && state.remoteClosed) this.#streams.delete(state.id);
  }

  async #readLoop(initial: Uint8Array): Promise<void> {
    const reader = this.#conn.readable.getReader();
    let buf = initial;
    const need = async (n: number): Promise<boolean> => {
      while (buf.length < n) {
        const r = await reader.read();
        if (r.done) return false;
        buf = buf.length ? concat([buf, r.value]) : r.value;
      }
      return true;
    };
    for (;;) {
      if (!(await need(8))) break;
      const v = new DataView(buf.buffer, buf.byteOffset, 8);
      const first = v.getUint32(0);
      const flags = buf[4]!;
      const length = v.getUint32(4) & 0xffffff;
      if (!(await need(8 + length))) break;
      const payload = buf.subarray(8, 8 + length);
      buf = buf.subarray(8 + length);
      if (first & 0x80000000) this.#control((first >>> 16) & 0x7fff, first & 0xffff, payload);
      else await this.#data(first & 0x7fffffff, flags, payload);
    }
    this.#end("the API server closed the connection");
  }

  #control(version: number, type: number, payload: Uint8Array): void {
    if (version !== VERSION) return this.#end(`the server spoke SPDY version ${version}`);
    const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    switch (type) {
      case TYPE.SYN_REPLY: {
        this.#streams.get(v.getUint32(0) & 0x7fffffff)?.reply.resolve();
        return;
      }
      case TYPE.RST_STREAM: {
        const s = this.#streams.get(v.getUint32(0) & 0x7fffffff);
        const code = v.getUint32(4);
        if (s) {
          s.reset = true;
          this.#finish(s, new Error(`stream reset by the server (${RST_NAMES[code] ?? code})`));
        }
        return;
      }
      case TYPE.PING: {
        // Echo the server's pings (even ids); ours would be odd, and we send none.
        if ((v.getUint32(0) & 1) === 0) {
          this.#write(controlFrame(TYPE.PING, 0, payload.slice())).catch(() => {});
        }
        return;
      }
      case TYPE.GOAWAY:
        return this.#end("the server ended the tunnel (GOAWAY)");
      case TYPE.SYN_STREAM: {
        // Server-initiated streams have no use in port forwarding: refuse them.
        const reply = new Uint8Array(8);
        new DataView(reply.buffer).setUint32(0, v.getUint32(0) & 0x7fffffff);
        new DataView(reply.buffer).setUint32(4, RST.REFUSED_STREAM);
        this.#write(controlFrame(TYPE.RST_STREAM, 0, reply)).catch(() => {});
        return;
      }
      default:
        // SETTINGS, HEADERS, WINDOW_UPDATE: nothing to do (see the note on flow control).
        return;
    }
  }

  /** Delivers a data frame; resolves when the stream's reader can take more. */
  #data(id: number, flags: number, payload: Uint8Array): Promise<void> | undefined {
    const s = this.#streams.get(id);
    if (!s) return;
    if (payload.length > 0) {
      this.bytesIn += payload.length;
      try {
        s.controller.enqueue(payload.slice());
      } catch {
        // the reader went away
      }
    }
    if (flags & FLAG_FIN) {
      s.remoteClosed = true;
      try {
        s.controller.close();
      } catch {
        // already closed
      }
      s.reply.resolve();
      this.#maybeForget(s);
    }
    if (!s.remoteClosed && (s.controller.desiredSize ?? 1) <= 0) {
      return new Promise<void>((resolve) => (s.drained = resolve));
    }
    return undefined;
  }

  #end(why: string): void {
    if (this.#closedReason !== undefined) return;
    this.#closedReason = why;
    for (const s of [...this.#streams.values()]) {
      this.#finish(s, new Error(`tunnel closed: ${why}`));
    }
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    this.#resolveClosed(why);
  }

  /** Sends GOAWAY and closes the connection. */
  async close(why = "stopped"): Promise<void> {
    if (this.#closedReason !== undefined) return;
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setUint32(0, Math.max(0, this.#nextId - 2));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#write(controlFrame(TYPE.GOAWAY, 0, payload)).catch(() => {}),
      new Promise((r) => (timer = setTimeout(r, 1000))),
    ]);
    clearTimeout(timer);
    this.#end(why);
  }
}

function errMsg(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
