/** Thrown when a newer keepalived state superseded the work in progress. */
export class Superseded extends Error {
  override readonly name = 'Superseded';
}

/** Thrown when one step of a transition ran past its deadline. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/** Rejects with DeadlineExceeded after `ms`, or with Superseded when `signal` aborts; whichever first. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) { reject(new Superseded(what)); return; }
    const onAbort = () => { clearTimeout(timer); reject(new Superseded(what)); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); reject(new DeadlineExceeded(`${what}: no answer within ${ms} ms`)); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

/** Sleeps `ms`, or rejects with Superseded as soon as `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return withDeadline(new Promise<void>((r) => setTimeout(r, ms)), ms + 1000, 'pause', signal);
}
