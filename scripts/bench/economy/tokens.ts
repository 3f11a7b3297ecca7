// Token counting for the economy bench: the text a model reads from one tool answer.

import { countTokens, TOKENIZER } from "./deps.ts";

export { TOKENIZER };

const enc = new TextEncoder();

export interface TextCost {
  bytes: number;
  tokens: number;
}

/** UTF-8 bytes and tokens of one answer's text. */
export function textCost(text: string): TextCost {
  return { bytes: enc.encode(text).length, tokens: text === "" ? 0 : countTokens(text) };
}

/** Sums costs (the answers of one task, or the tasks of one server). */
export function sumCosts(costs: readonly TextCost[]): TextCost {
  return costs.reduce((a, c) => ({ bytes: a.bytes + c.bytes, tokens: a.tokens + c.tokens }), {
    bytes: 0,
    tokens: 0,
  });
}
