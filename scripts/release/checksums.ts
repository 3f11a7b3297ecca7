// checksums.txt: one `<sha256 hex>  <file name>` line per archive, sorted by file name, in the
// format `sha256sum -c` reads. The Homebrew formula is rendered from the parsed file, so what
// users verify and what brew verifies cannot differ.

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function renderChecksums(sums: ReadonlyMap<string, string>): string {
  const names = [...sums.keys()].sort();
  return names.map((name) => `${sums.get(name)}  ${name}\n`).join("");
}

export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`checksums line ${i + 1} is not "<sha256>  <file>": ${line}`);
    sums.set(m[2]!, m[1]!);
  }
  return sums;
}
