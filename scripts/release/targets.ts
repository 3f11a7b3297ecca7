// The release build matrix: which Deno targets are compiled, and what each one's binary and
// archive are called. Archive names follow the Go server's goreleaser ones
// (mcp-kubernetes-ro_<os>_<arch>, amd64 written x86_64) so existing download links keep working.

export const NAME = "mcp-kubernetes-ro";

export type Os = "linux" | "darwin" | "windows";
export type Arch = "x86_64" | "arm64";

export interface Target {
  /** Deno's --target triple. */
  triple: string;
  os: Os;
  arch: Arch;
}

export const TARGETS: readonly Target[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux", arch: "x86_64" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux", arch: "arm64" },
  { triple: "x86_64-apple-darwin", os: "darwin", arch: "x86_64" },
  { triple: "aarch64-apple-darwin", os: "darwin", arch: "arm64" },
  { triple: "x86_64-pc-windows-msvc", os: "windows", arch: "x86_64" },
];

export function binaryName(target: Target): string {
  return target.os === "windows" ? `${NAME}.exe` : NAME;
}

export function archiveName(target: Target): string {
  return `${NAME}_${target.os}_${target.arch}.${target.os === "windows" ? "zip" : "tar.gz"}`;
}

/** Where deno compile writes the binary, relative to the dist directory. */
export function binaryPath(target: Target): string {
  return `${target.triple}/${binaryName(target)}`;
}

export function findTarget(triple: string): Target | undefined {
  return TARGETS.find((t) => t.triple === triple);
}
