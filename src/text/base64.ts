// Strict standard-alphabet base64 decoding with errors that say what is wrong and where.
// atob alone reports only "invalid character", which tells a model nothing it can fix.

import { Base64Error } from "../errors.ts";
import { quote } from "./quote.ts";

const ALPHABET = /^[A-Za-z0-9+/]$/;

/** Decodes standard base64; whitespace anywhere is ignored and padding is optional. */
export function decodeBase64(input: string): Uint8Array {
  const text = input.replace(/\s+/g, "");
  const firstPad = text.indexOf("=");
  const body = firstPad === -1 ? text : text.slice(0, firstPad);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ALPHABET.test(ch)) continue;
    const hint = ch === "-" || ch === "_"
      ? "; it looks like URL-safe base64: replace - with + and _ with /"
      : "";
    throw new Base64Error(
      `data is not valid base64: invalid character ${quote(ch)} at position ${i}${hint}`,
    );
  }
  const padding = text.slice(body.length);
  if (!/^={0,2}$/.test(padding)) {
    throw new Base64Error(
      `data is not valid base64: "=" padding may only appear at the end, at most twice`,
    );
  }
  if (body.length % 4 === 1) {
    throw new Base64Error(
      `data is not valid base64: length ${body.length} (without padding) cannot be base64: one character too many or missing`,
    );
  }
  if (padding && (body.length + padding.length) % 4 !== 0) {
    throw new Base64Error(
      `data is not valid base64: wrong amount of "=" padding for ${body.length} characters`,
    );
  }
  const binary = atob(body + "=".repeat((4 - (body.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
