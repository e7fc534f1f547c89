/**
 * `npm start` and `npm run cluster`: Ctrl-C or SIGTERM to the printed PID closes everything,
 * and a part that will not close does not keep the ports held: after `deadlineMs` the
 * process exits anyway.
 */
export function stopOnSignal(close: () => Promise<void>, deadlineMs: number): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    setTimeout(() => process.exit(1), deadlineMs).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('stopping failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
