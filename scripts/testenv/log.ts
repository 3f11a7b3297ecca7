// The one logger of the test environment scripts: progress goes to stderr, because `up` prints
// only the kubeconfig path on stdout.

export function log(message: string): void {
  // deno-lint-ignore no-console
  console.error(`[testenv] ${message}`);
}
