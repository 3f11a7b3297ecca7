import assert from "node:assert/strict";
import {
  ANY_CONTROL,
  filterLog,
  lineStartsWithNeedle,
  MAX_LINE_CHARS,
  stripControl,
} from "../../src/logs/filter.ts";
import { anyOf, literalAlternatives, splitPatterns } from "../../src/logs/patterns.ts";
import { PatternError } from "../../src/errors.ts";
import { parseSince } from "../../src/logs/since.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return ReadableStream.from(chunks.map((c) => enc.encode(c)));
}

Deno.test("filterLog() keeps the last max_lines matching lines across chunk boundaries", async () => {
  const log = Array.from({ length: 50 }, (_, i) => `${i % 5 === 0 ? "ERROR" : "info"} line ${i}`)
    .join("\n") + "\n";
  const chunks = log.match(/[\s\S]{1,7}/g)!;
  const r = await filterLog(streamOf(...chunks), {
    include: await anyOf(["ERROR"], false, "include"),
    maxLines: 3,
    maxBytes: 1e6,
  });
  assert.deepEqual(r.lines, ["ERROR line 35", "ERROR line 40", "ERROR line 45"]);
  assert.equal(r.totalLines, 50);
  assert.equal(r.matchingLines, 10);
  assert.equal(r.droppedForBytes, 0);
});

Deno.test("filterLog() applies excludes, keeps blank lines and strips control sequences", async () => {
  const r = await filterLog(
    streamOf("a\r\n\n\x1b[31mred\x1b[0m text\r\nnoise here\nb\x07ell\n"),
    { exclude: await anyOf(["noise"], false, "exclude"), maxBytes: 1e6 },
  );
  assert.deepEqual(r.lines, ["a", "", "red text", "bell"]);
  assert.equal(r.totalLines, 5);
});

Deno.test("filterLog() caps the returned bytes, keeping the newest lines", async () => {
  const lines = Array.from({ length: 1000 }, (_, i) => `line-${String(i).padStart(4, "0")}`);
  const r = await filterLog(streamOf(lines.join("\n")), { maxBytes: 100 });
  assert.deepEqual(r.lines, lines.slice(-10));
  assert.equal(r.droppedForBytes, 990);
  const huge = await filterLog(streamOf("x".repeat(MAX_LINE_CHARS * 2) + "\nok"), {
    maxBytes: 1e6,
  });
  assert.equal(huge.lines[0]!.length, MAX_LINE_CHARS + " …[line cut]".length);
  assert.equal(huge.lines[1], "ok");
});

Deno.test({
  name: "filterLog() filters a 300 MB log inside a 32 MB heap",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // With V8's old space capped at 32 MB, holding even a tenth of this log would abort the
    // process (out of memory); finishing shows the stream is filtered without accumulating.
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--max-old-space-size=32,--max-semi-space-size=4",
        new URL("./_memory_probe.ts", import.meta.url).pathname,
        "300",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr).slice(-500));
    const r = JSON.parse(new TextDecoder().decode(out.stdout)) as { lines: number; hwm: number };
    assert.equal(r.lines, 6_000_000);
    assert.ok(r.hwm < 120 * 1024, `peak resident size ${r.hwm} kB`);
  },
});

Deno.test("stripControl() removes CSI, OSC and C0 controls but keeps tabs and text", () => {
  assert.equal(stripControl("\x1b[1;32mOK\x1b[0m\tdone\x1b]0;title\x07!"), "OK\tdone!");
  assert.equal(stripControl("progress 10%\rprogress 100%\x1b[K\r\r"), "progress 100%");
  assert.equal(stripControl("plain\r"), "plain");
});

Deno.test("splitPatterns() drops empty pieces and keeps commas inside regex groups", () => {
  assert.deepEqual(splitPatterns("error, warn,,", false), ["error", "warn"]);
  assert.deepEqual(splitPatterns("a{1,3}b,(x|y,z),[,]", true), ["a{1,3}b", "(x|y,z)", "[,]"]);
  assert.deepEqual(splitPatterns("one\\,two,three", false), ["one,two", "three"]);
  assert.deepEqual(splitPatterns(undefined, false), []);
});

Deno.test("anyOf() matches literals or regexes and reports a bad regex", async () => {
  assert.equal((await anyOf(["a.c"], false, "include"))!("abc"), false);
  assert.equal((await anyOf(["a.c"], true, "include"))!("abc"), true);
  assert.equal((await anyOf(["(?i)error"], true, "include"))!("ERROR!"), true);
  assert.equal(await anyOf([], true, "include"), undefined);
  await assert.rejects(
    () => anyOf(["(unclosed"], true, "exclude"),
    /invalid exclude regex "\(unclosed": missing closing \)/,
  );
});

Deno.test("anyOf() refuses backreferences and lookaround with a clear error", async () => {
  for (const pattern of ["(a)\\1", "a(?=b)", "(?<!x)y"]) {
    await assert.rejects(
      () => anyOf([pattern], true, "include"),
      (e: Error) =>
        e instanceof PatternError && /RE2 syntax .*no backreferences or lookaround/.test(e.message),
      pattern,
    );
  }
});

Deno.test("anyOf() quotes a bad pattern briefly and escaped", async () => {
  const e = await anyOf([`(\u0000\u001b${"x".repeat(10_000)}`], true, "include").catch((e) => e);
  assert.ok(e instanceof PatternError);
  assert.ok(e.message.length < 600, `${e.message.length} characters`);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(e.message, /[\u0000-\u001f]/);
});

Deno.test("anyOf() matches catastrophic patterns in linear time", async () => {
  // A backtracking engine takes minutes on these (2^n paths); RE2 takes a line's length.
  const nested = (await anyOf(["(.+)+!"], true, "include"))!;
  const words = (await anyOf(["(\\w+\\s?)*$"], true, "include"))!;
  const line = "a".repeat(5_000);
  for (let i = 0; i < 200; i++) {
    assert.equal(nested(line), false);
    assert.equal(words(`${"word ".repeat(1000)}!`), true);
  }
});

Deno.test("parseSince() reads durations, days and times, and explains bad values", () => {
  assert.deepEqual(parseSince("5m"), { sinceSeconds: 300 });
  assert.deepEqual(parseSince("2h30m"), { sinceSeconds: 9000 });
  assert.deepEqual(parseSince("1d"), { sinceSeconds: 86400 });
  assert.deepEqual(parseSince("1.5s"), { sinceSeconds: 1 });
  assert.deepEqual(parseSince("2026-01-02T03:04:05Z"), { sinceTime: "2026-01-02T03:04:05Z" });
  assert.deepEqual(parseSince("2026-01-02T03:04:05+02:00"), { sinceTime: "2026-01-02T01:04:05Z" });
  assert.deepEqual(parseSince("2026-01-02 03:04:05"), { sinceTime: "2026-01-02T03:04:05Z" });
  assert.deepEqual(parseSince("2026-01-02"), { sinceTime: "2026-01-02T00:00:00Z" });
  for (const bad of ["yesterday", "5", "-5m", "0", "500ms"]) {
    assert.throws(
      () => parseSince(bad),
      /since ".*" (is neither|must be at least)[\s\S]*"5m"/,
      bad,
    );
  }
});

Deno.test("literal alternatives take the fast path and answer as RE2 would", async () => {
  assert.deepEqual(literalAlternatives("FATAL|PANIC"), ["FATAL", "PANIC"]);
  for (const p of ["a.b", "x||y", "^x", "a\\|b", "(?i)x", "a|"]) {
    assert.equal(literalAlternatives(p), undefined, p);
  }
  const lines = ["FATAL x", "a PANIC", "panic", "nothing", "FATA L"];
  const fast = (await anyOf(["FATAL|PANIC"], true, "include"))!;
  // The same pattern through RE2: a group keeps it off the fast path.
  const re2 = (await anyOf(["(FATAL|PANIC)"], true, "include"))!;
  assert.deepEqual(lines.map(fast), lines.map(re2));
  assert.deepEqual(lines.map(fast), [true, true, false, false, false]);
});

Deno.test("filterLog() with timestamps matches the message, keeps the time", async () => {
  const r = await filterLog(
    streamOf("2026-01-15T10:00:00.1Z GET /a\n2026-01-15T10:00:01Z POST /GET\n"),
    { include: await anyOf(["^GET"], true, "include"), maxBytes: 1e6, timestamps: true },
  );
  assert.deepEqual(r.lines, ["2026-01-15T10:00:00.1Z GET /a"]);
});

Deno.test("filterLog() pages forward with skip and stops reading once the page is full", async () => {
  const lines = Array.from({ length: 100 }, (_, i) => `${i % 2 ? "odd" : "even"} ${i}`);
  let pulled = 0;
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (pulled === lines.length) return c.close();
      c.enqueue(enc.encode(lines[pulled++] + "\n"));
    },
  });
  const r = await filterLog(stream, {
    include: await anyOf(["odd"], false, "include"),
    maxLines: 3,
    maxBytes: 1e6,
    skip: 2,
  });
  assert.deepEqual(r.lines, ["odd 5", "odd 7", "odd 9"]);
  assert.equal(r.more, true);
  assert.ok(pulled < 20, `stopped early (read ${pulled} of 100 lines)`);
  const last = await filterLog(streamOf(lines.join("\n")), {
    include: await anyOf(["odd"], false, "include"),
    maxLines: 3,
    maxBytes: 1e6,
    skip: 48,
  });
  assert.deepEqual(last.lines, ["odd 97", "odd 99"]);
  assert.equal(last.more, false);
  assert.equal(last.matchingLines, 50);
  const bytes = await filterLog(streamOf(lines.join("\n")), { maxBytes: 20, skip: 0 });
  assert.deepEqual(bytes.lines, ["even 0", "odd 1", "even 2"]);
  assert.equal(bytes.more, true, "the byte cap ends a page too");
});

Deno.test("filterLog(): the chunk search for literal needles answers as line-by-line does", async () => {
  // A seeded generator (the suite's fuzz seed convention): lines with and without the needles,
  // needles cut across chunks and lines, control characters, CRLF, long lines and timestamps.
  let seed = Number(Deno.env.get("FUZZ_SEED") ?? 20261129);
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pieces = ["FATAL", "FAT", "AL", "PANIC", "info ", "ok", "\x1b[31m", "\r", "\t", "é", " "];
  for (let round = 0; round < 200; round++) {
    const lines = Array.from({ length: 1 + rand(40) }, () => {
      if (rand(50) === 0) return "x".repeat(MAX_LINE_CHARS + 10) + "FATAL";
      return Array.from({ length: rand(6) }, () => pieces[rand(pieces.length)]).join("");
    });
    const timestamps = rand(2) === 0;
    const log = lines.map((l) => timestamps ? `2026-11-29T00:00:00Z ${l}` : l).join("\n") +
      (rand(2) ? "\n" : "");
    const cut: string[] = [];
    for (let i = 0; i < log.length;) {
      const n = 1 + rand(60);
      cut.push(log.slice(i, i + n));
      i += n;
    }
    const needles = rand(2) ? ["FATAL"] : ["FATAL", "PANIC"];
    const fast = await anyOf(needles, false, "include");
    assert.deepEqual(fast!.needles, needles);
    const slow = (line: string) => fast!(line); // the same matcher, without needles
    const paging = rand(3) === 0;
    const opts = {
      maxLines: 1 + rand(5),
      maxBytes: 1e6,
      timestamps,
      ...(paging ? { skip: rand(3) } : {}),
      ...(rand(3) === 0 ? { exclude: await anyOf(["PANIC"], false, "exclude") } : {}),
    };
    const a = await filterLog(streamOf(...cut), { ...opts, include: fast });
    const b = await filterLog(streamOf(...cut), { ...opts, include: slow });
    assert.deepEqual(a, b, `seed round ${round}: ${JSON.stringify(cut).slice(0, 300)}`);
  }
});

Deno.test("lineStartsWithNeedle() finds each line once, and not a needle over a line end", () => {
  const text = "a FATAL FATAL\nno\nFAT\nAL FATAL\n";
  assert.deepEqual(lineStartsWithNeedle(text, 0, text.length - 1, ["FATAL"]), [0, 21]);
  assert.deepEqual(lineStartsWithNeedle(text, 0, text.length - 1, ["T\nAL"]), []);
  assert.deepEqual(lineStartsWithNeedle(text, 0, text.length - 1, ["no", "a "]), [0, 14]);
  // From a line start inside the text: lines before it are not looked at.
  assert.deepEqual(lineStartsWithNeedle(text, 14, text.length - 1, ["FATAL"]), [21]);
  assert.deepEqual(lineStartsWithNeedle(text, 17, text.length - 1, ["", "x"]), [17, 21]);
});

Deno.test("ANY_CONTROL is exactly C0 but tab and line feed, DEL and C1, on every code unit", () => {
  for (let c = 0; c <= 0xffff; c++) {
    const want = (c <= 0x1f && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f);
    assert.equal(ANY_CONTROL.test(String.fromCharCode(c)), want, `U+${c.toString(16)}`);
  }
});
