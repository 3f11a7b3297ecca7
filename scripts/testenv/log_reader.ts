// Kubelet log semantics over one of our log files ("<RFC3339Nano> <text>\n" per line), like the
// kubelet's ReadLogs: tailLines first (from the end of the file), then sinceTime filtering,
// timestamps prefix on request, and limitBytes cutting the output (even mid-line).

export interface LogQuery {
  tailLines?: number;
  /** Lines with a timestamp before this are skipped: [epochSeconds, nanos]. */
  since?: [number, number];
  timestamps: boolean;
  limitBytes?: number;
}

const NL = 0x0a;
const SP = 0x20;
const CHUNK = 1 << 20;

/** Parses "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" (also with a numeric offset) into [seconds, nanos]. */
export function parseRfc3339(s: string): [number, number] | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return [Math.floor(ms / 1000), Number((m[2] ?? "").padEnd(9, "0"))];
}

function before(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Byte offset where the last `n` lines of the file start. */
async function tailOffset(f: Deno.FsFile, size: number, n: number): Promise<number> {
  if (n <= 0) return size;
  let pos = size;
  let newlines = 0;
  const buf = new Uint8Array(64 * 1024);
  // The file ends with "\n": that one terminates the last line, it does not start a new one.
  let skipFinal = true;
  while (pos > 0) {
    const len = Math.min(buf.length, pos);
    pos -= len;
    await f.seek(pos, Deno.SeekMode.Start);
    let got = 0;
    while (got < len) {
      const r = await f.read(buf.subarray(got, len));
      if (r === null) break;
      got += r;
    }
    for (let i = len - 1; i >= 0; i--) {
      if (buf[i] !== NL) continue;
      if (skipFinal && pos + i === size - 1) {
        skipFinal = false;
        continue;
      }
      newlines++;
      if (newlines === n) return pos + i + 1;
    }
    skipFinal = false;
  }
  return 0;
}

const dec = new TextDecoder();

/** Streams the file through the kubelet's filters. */
export async function readLog(path: string, q: LogQuery): Promise<ReadableStream<Uint8Array>> {
  const f = await Deno.open(path, { read: true });
  const size = (await f.stat()).size;
  const start = q.tailLines === undefined ? 0 : await tailOffset(f, size, q.tailLines);
  await f.seek(start, Deno.SeekMode.Start);
  let remaining = q.limitBytes ?? Infinity;
  let carry: Uint8Array = new Uint8Array(0);
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      f.close();
    }
  };

  // Turns complete lines of `data` into output; returns the unfinished tail.
  const process = (data: Uint8Array, out: Uint8Array<ArrayBuffer>[]): Uint8Array => {
    let lineStart = 0;
    const parts: Uint8Array[] = [];
    while (lineStart < data.length) {
      const nl = data.indexOf(NL, lineStart);
      if (nl < 0) break;
      const sp = data.indexOf(SP, lineStart);
      const hasTs = sp >= 0 && sp < nl;
      let keep = true;
      if (q.since && hasTs) {
        const ts = parseRfc3339(dec.decode(data.subarray(lineStart, sp)));
        if (ts && before(ts, q.since)) keep = false;
      }
      if (keep) {
        parts.push(data.subarray(q.timestamps || !hasTs ? lineStart : sp + 1, nl + 1));
      }
      lineStart = nl + 1;
    }
    if (parts.length > 0) {
      let total = 0;
      for (const p of parts) total += p.length;
      const joined = new Uint8Array(total);
      let o = 0;
      for (const p of parts) {
        joined.set(p, o);
        o += p.length;
      }
      out.push(joined);
    }
    return data.slice(lineStart);
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Loop until something is enqueued or the stream ends: a pull that enqueues nothing is not
      // called again (e.g. while sinceTime skips the first megabytes).
      for (;;) {
        if (remaining <= 0) {
          close();
          controller.close();
          return;
        }
        const buf = new Uint8Array(CHUNK);
        const n = await f.read(buf);
        const out: Uint8Array<ArrayBuffer>[] = [];
        if (n === null) {
          if (carry.length > 0) process(Uint8Array.of(...carry, NL), out);
          carry = new Uint8Array(0);
        } else {
          const data = new Uint8Array(carry.length + n);
          data.set(carry, 0);
          data.set(buf.subarray(0, n), carry.length);
          carry = process(data, out);
        }
        for (let chunk of out) {
          if (chunk.length > remaining) chunk = chunk.subarray(0, remaining);
          remaining -= chunk.length;
          controller.enqueue(chunk);
          if (remaining <= 0) break;
        }
        if (n === null || remaining <= 0) {
          close();
          controller.close();
          return;
        }
        if (out.length > 0) return;
      }
    },
    cancel() {
      close();
    },
  });
}
