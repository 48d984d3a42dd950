/** Exhaustiveness check for switches over a union (e.g. every TraceEvent kind). */
export function assertNever(x: never): never {
  throw new Error(`unhandled case ${JSON.stringify(x)}`);
}
