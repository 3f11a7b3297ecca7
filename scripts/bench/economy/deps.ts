// The economy bench's one npm dependency, pinned here (the bench's own deps, never the shipped
// server's: nothing under src/ imports this). gpt-tokenizer is a pure-JS port of OpenAI's BPE
// encodings; o200k_base is the encoding of GPT-4o and later models. Token counts are what such a
// model would read; another model's tokenizer differs by some percent, the same for every server.

export { countTokens } from "npm:gpt-tokenizer@4.0.0/encoding/o200k_base";

/** How the report names the tokenizer. */
export const TOKENIZER = "gpt-tokenizer 4.0.0, o200k_base";
