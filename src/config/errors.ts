/** A bad command line or environment value: main prints it and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
