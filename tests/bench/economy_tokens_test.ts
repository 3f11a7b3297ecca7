import assert from "node:assert/strict";
import { sumCosts, textCost, TOKENIZER } from "../../scripts/bench/economy/tokens.ts";

Deno.test("textCost() counts UTF-8 bytes and o200k_base tokens of an answer", () => {
  assert.match(TOKENIZER, /^gpt-tokenizer \d+\.\d+\.\d+, o200k_base$/);
  assert.deepEqual(textCost(""), { bytes: 0, tokens: 0 });
  // Known counts of the pinned encoding (they change only with the tokenizer's version).
  assert.deepEqual(textCost("hello world"), { bytes: 11, tokens: 2 });
  const table = "NAME        READY   STATUS\ncrashloop   0/1     CrashLoopBackOff\n";
  const cost = textCost(table);
  assert.equal(cost.bytes, table.length);
  assert.ok(cost.tokens > 5 && cost.tokens < table.length / 2, `${cost.tokens} tokens`);
  // Multi-byte text: bytes, not characters.
  assert.equal(textCost("✓").bytes, 3);
});

Deno.test("more of the same text costs more tokens, and sums add up", () => {
  const one = textCost('{"name":"web-7d4b9c8f6d-x2x7k","status":"Running"}');
  const ten = textCost('{"name":"web-7d4b9c8f6d-x2x7k","status":"Running"}'.repeat(10));
  assert.ok(ten.tokens > one.tokens * 5, `${ten.tokens} vs ${one.tokens}`);
  assert.deepEqual(sumCosts([one, one]), { bytes: one.bytes * 2, tokens: one.tokens * 2 });
  assert.deepEqual(sumCosts([]), { bytes: 0, tokens: 0 });
});
