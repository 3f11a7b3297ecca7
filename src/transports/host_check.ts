// Host and Origin checks against DNS rebinding. Pure. Written by hand because the check must be
// exact: URL parsing alone strips tabs and newlines and accepts userinfo, so a header is first
// held to the characters an authority may hold, then parsed, then compared whole.

/** An authority as browsers send it: host name or IP literal and an optional port. */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;
const ORIGIN = /^(https?):\/\/([^/?#\s]+)$/i;

export interface HostName {
  /** Lower-cased host name, or the IPv6 literal in brackets as the URL parser writes it. */
  name: string;
  /** name:port when a port was given, else name. */
  authority: string;
}

/** The host of a Host header value, or undefined when it is not a plain authority. */
export function parseAuthority(value: string): HostName | undefined {
  if (!AUTHORITY.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${value}`);
  } catch {
    return undefined;
  }
  const raw = value.startsWith("[") ? url.hostname : value.replace(/:\d+$/, "").toLowerCase();
  // The URL parser reads "127.1" and "0x7f.1" as 127.0.0.1; only the written name counts here.
  if (!value.startsWith("[") && raw !== url.hostname) return undefined;
  const port = /:(\d+)$/.exec(value.startsWith("[") ? value.slice(value.indexOf("]")) : value);
  return { name: raw, authority: port ? `${raw}:${Number(port[1])}` : raw };
}

/** The host of an Origin header value (http or https, no path), or undefined. */
export function parseOrigin(value: string): HostName | undefined {
  const m = ORIGIN.exec(value);
  return m ? parseAuthority(m[2]!) : undefined;
}

function octets(name: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  const parts = m?.slice(1).map(Number);
  return parts && parts.every((n) => n <= 255) ? parts : undefined;
}

/** 127.0.0.0/8 written as a dotted quad, [::1], an IPv4-mapped 127/8 address, or localhost. */
export function isLoopbackName(name: string): boolean {
  const host = name.toLowerCase();
  if (host === "localhost" || host === "[::1]" || host === "::1") return true;
  if (/^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)) return true;
  return octets(host)?.[0] === 127;
}

/**
 * Whether a Host (or Origin) names this server: a loopback literal, localhost, or an entry of
 * --allowed-hosts, which matches the name alone or name:port exactly.
 */
export function hostAllowed(host: HostName | undefined, allowed: ReadonlySet<string>): boolean {
  if (!host) return false;
  return isLoopbackName(host.name) || allowed.has(host.name) || allowed.has(host.authority);
}
