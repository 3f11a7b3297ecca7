import assert from "node:assert/strict";
import { parseFlags } from "../../src/config/flags.ts";
import { UsageError } from "../../src/config/errors.ts";

Deno.test("parseFlags() accepts --flag=value, --flag value and Go's single dash", () => {
  assert.deepEqual(parseFlags(["--port=9000", "--namespace", "web", "-transport", "sse"]), {
    port: "9000",
    namespace: "web",
    transport: "sse",
  });
  assert.deepEqual(parseFlags(["-kubeconfig=/k"]), { kubeconfig: "/k" });
  assert.deepEqual(parseFlags([]), {});
  assert.deepEqual(parseFlags(["--", "--version"]), { version: true });
});

Deno.test("parseFlags() reads booleans bare or with a value", () => {
  assert.deepEqual(parseFlags(["--always-start"]), { alwaysStart: true });
  assert.deepEqual(parseFlags(["--always-start=false"]), { alwaysStart: false });
  assert.deepEqual(parseFlags(["--always-start=TRUE"]), { alwaysStart: true });
  assert.throws(() => parseFlags(["--always-start=maybe"]), /takes true or false, got "maybe"/);
});

Deno.test("parseFlags() rejects unknown flags, stray arguments and missing values", () => {
  const bad: [string[], RegExp][] = [
    [["--bogus"], /unknown flag --bogus; valid flags are --kubeconfig,/],
    [["serve"], /unexpected argument "serve"/],
    [["--port"], /flag --port needs a value/],
    [["--port", "--namespace", "x"], /flag --port needs a value/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(
      () => parseFlags(argv),
      (e) => e instanceof UsageError && message.test(e.message),
    );
  }
});
