// Whether the version in deno.json may be released under the given tag. Pure: the caller
// decides what to print and how to exit.

export type VersionCheck =
  | { kind: "match"; version: string; tag: string }
  | { kind: "no-tag"; version: string }
  | { kind: "mismatch"; version: string; tag: string; message: string }
  | { kind: "bad-version"; version: string; message: string };

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The tag must be exactly `v` + the deno.json version; an empty tag means a local dry build. */
export function checkVersion(version: string, tag: string | undefined): VersionCheck {
  if (!SEMVER.test(version)) {
    return {
      kind: "bad-version",
      version,
      message: `deno.json "version" is "${version}", which is not a semantic version (1.2.3)`,
    };
  }
  if (tag === undefined || tag === "") return { kind: "no-tag", version };
  if (tag === `v${version}`) return { kind: "match", version, tag };
  return {
    kind: "mismatch",
    version,
    tag,
    message: `release tag "${tag}" does not match deno.json version "${version}": ` +
      `tag v${version}, or set "version" in deno.json to ${tag.replace(/^v/, "")} first`,
  };
}
