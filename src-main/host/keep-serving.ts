/**
 * `pelote serve` runs for hours and serves every tab and the schedulers: a bug in one handler or one callback must not
 * end it. Each fault becomes one line — its kind and the first line of its message, never a stack, arguments or data.
 * Returns the function that removes the guard.
 */
export function keepServing(writeLine: (line: string) => void): () => void {
  const report = (kind: string) => (error: unknown) => {
    const what = error instanceof Error ? `${error.name}: ${error.message.split('\n', 1)[0] ?? ''}` : typeof error;
    writeLine(`[pelote] ${kind}, still serving: ${what.slice(0, 200)}\n`);
  };
  const onException = report('uncaught exception');
  const onRejection = report('unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
