/**
 * Owner of everything with a lifetime: timers, immediates and cleanup callbacks.
 * Each connection gets a child of the playground's root scope, so a client going
 * away and `close()` on the whole playground both leave nothing scheduled.
 */
export class Scope {
  readonly #timeouts = new Set<NodeJS.Timeout>();
  readonly #intervals = new Set<NodeJS.Timeout>();
  readonly #immediates = new Set<NodeJS.Immediate>();
  readonly #cleanups: Array<() => void> = [];
  readonly #children = new Set<Scope>();
  readonly #parent: Scope | undefined;
  #disposed = false;

  constructor(parent?: Scope) {
    this.#parent = parent;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Runs `fn` once after `ms`; the returned function cancels it. */
  timeout(fn: () => void, ms: number): () => void {
    if (this.#disposed) return noop;
    const handle = setTimeout(() => {
      this.#timeouts.delete(handle);
      fn();
    }, ms);
    this.#timeouts.add(handle);
    return () => {
      clearTimeout(handle);
      this.#timeouts.delete(handle);
    };
  }

  interval(fn: () => void, ms: number): () => void {
    if (this.#disposed) return noop;
    const handle = setInterval(fn, ms);
    this.#intervals.add(handle);
    return () => {
      clearInterval(handle);
      this.#intervals.delete(handle);
    };
  }

  immediate(fn: () => void): () => void {
    if (this.#disposed) return noop;
    const handle = setImmediate(() => {
      this.#immediates.delete(handle);
      fn();
    });
    this.#immediates.add(handle);
    return () => {
      clearImmediate(handle);
      this.#immediates.delete(handle);
    };
  }

  /** Registers a cleanup; on an already disposed scope it runs at once. */
  onDispose(fn: () => void): void {
    if (this.#disposed) fn();
    else this.#cleanups.push(fn);
  }

  child(): Scope {
    const child = new Scope(this);
    if (this.#disposed) child.dispose();
    else this.#children.add(child);
    return child;
  }

  /** Timers still scheduled here and in every child scope. */
  get pendingTimers(): number {
    let count = this.#timeouts.size + this.#intervals.size + this.#immediates.size;
    for (const child of this.#children) count += child.pendingTimers;
    return count;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const child of [...this.#children]) child.dispose();
    for (const handle of this.#timeouts) clearTimeout(handle);
    for (const handle of this.#intervals) clearInterval(handle);
    for (const handle of this.#immediates) clearImmediate(handle);
    this.#timeouts.clear();
    this.#intervals.clear();
    this.#immediates.clear();
    // Last registered, first undone: later resources may depend on earlier ones.
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    if (this.#parent) this.#parent.#children.delete(this);
  }
}

function noop(): void {}
