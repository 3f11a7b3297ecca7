// Redaction of credential-like text, for anything a credential plugin printed and for the server's
// own log. Conservative on purpose: a false positive costs a few characters of a message, a
// false negative leaks a token.

const PATTERNS: RegExp[] = [
  // Authorization headers and bearer/basic values.
  /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  // key=value / key: value / "key":"value" where the key names a secret.
  /\b([\w-]*(?:token|secret|password|passwd|pwd|apikey|api_key|credential|authorization|cookie|session|private[_-]?key)[\w-]*)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi,
  // JWTs.
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?/g,
  // PEM blocks.
  /-----BEGIN [A-Z ]+-----[\s\S]*?(?:-----END [A-Z ]+-----|$)/g,
];

/** Long hex runs, and long base64-like runs mixing upper case, lower case and digits. */
const OPAQUE = /[A-Za-z0-9+/_-]{24,}={0,2}/g;

function opaque(run: string): boolean {
  if (run.split(/[-_/+]/).some((part) => /^[0-9a-f]{32,}$/i.test(part))) return true;
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}

export function redact(text: string): string {
  let out = text;
  out = out.replace(PATTERNS[0]!, (_m, scheme: string) => `${scheme} [REDACTED]`);
  out = out.replace(PATTERNS[1]!, (_m, key: string, sep: string) => `${key}${sep}[REDACTED]`);
  for (const p of PATTERNS.slice(2)) out = out.replace(p, "[REDACTED]");
  // Kubernetes names and API paths are lower case, so they are left alone.
  return out.replace(OPAQUE, (run) => opaque(run) ? "[REDACTED]" : run);
}

/** A short, single-line, redacted excerpt with control characters escaped. */
export function excerpt(text: string, max = 200): string {
  const flat = redact(text.slice(0, max * 4)).replace(/\s+/g, " ").trim();
  // deno-lint-ignore no-control-regex
  const clean = flat.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
