// The failures a model reads and can act on: bad input, not found, forbidden. Ground floor: it
// imports nothing, so every layer may throw these; mcp/errors_to_text.ts turns them into text.

/** Thrown for a failure the model should read: its message is the whole answer. */
export class ToolError extends Error {
  override name = "ToolError";
}

/** Text that is not the base64 the tool was asked to decode. */
export class Base64Error extends ToolError {
  override name = "Base64Error";
}

/** A metrics continue token that is malformed or belongs to another listing. */
export class TokenError extends ToolError {
  override name = "TokenError";
}

/** A since value that is neither a duration nor a time. */
export class SinceError extends ToolError {
  override name = "SinceError";
}

/** A log pattern RE2 cannot compile. */
export class PatternError extends ToolError {
  override name = "PatternError";
}

/** A public key (or private-key path) the secret encryption cannot use. */
export class KeyError extends ToolError {
  override name = "KeyError";
}

/** An output file the secret tools refuse to write. */
export class WriteError extends ToolError {
  override name = "WriteError";
}
