/**
 * The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22. geosim
 * supports Node 20 on purpose (README); the notice says nothing about this run, so drop it. Used
 * by the CLI before it loads the SDK, and by the test setup (`test/setup.ts`).
 */
export function silenceSdkNodeNotice(): void {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : `${warning.name}: ${warning.message}`;
    if (text.includes('NodeVersionSupportWarning') || (typeof rest[0] === 'string' && rest[0].includes('NodeVersionSupportWarning'))) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
