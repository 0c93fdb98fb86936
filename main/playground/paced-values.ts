import type { Scope } from './scope.js';

/**
 * `count` values, one every `intervalMs`, as an async iterator for a GraphQL
 * subscription. Written by hand rather than as an async generator: a generator
 * parked on a timer cannot be returned until the timer fires, while this one ends
 * at once on return() (the client completed) or when `parent` is disposed (the
 * connection or the playground closed), leaving no timer behind.
 *
 * Pulled: the next timer starts when the consumer asks for the next value, so a
 * slow client slows the stream instead of queueing values.
 */
export function pacedValues<T>(parent: Scope, count: number, intervalMs: number, make: (n: number) => T): AsyncIterableIterator<T> {
  const scope = parent.child();
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  let produced = 0;
  let pending: ((result: IteratorResult<T, undefined>) => void) | undefined;
  scope.onDispose(() => {
    pending?.(done);
    pending = undefined;
  });
  const end = (): Promise<IteratorResult<T, undefined>> => {
    scope.dispose();
    return Promise.resolve(done);
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (scope.disposed || produced >= count) return end();
      // graphql-js reads one value at a time; a second reader would lose a resolver.
      if (pending) return Promise.reject(new Error('pacedValues is read one value at a time'));
      return new Promise((resolve) => {
        pending = resolve;
        scope.timeout(() => {
          pending = undefined;
          produced++;
          resolve({ done: false, value: make(produced) });
        }, intervalMs);
      });
    },
    return: end,
    throw(error: unknown) {
      scope.dispose();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
  };
}
