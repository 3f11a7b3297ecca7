// The bench's one logger: progress goes to stderr, so stdout stays free for the results path.

export function log(message: string): void {
  // deno-lint-ignore no-console
  console.error(message);
}
