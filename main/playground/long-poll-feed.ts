import { BadRequest } from './query.js';
import { sendTime, stamp, type Stamp } from './payload.js';
import type { Scope } from './scope.js';

/** Messages kept for clients that fall behind; older ones are gone, as on a real feed. */
const RETAINED_MESSAGES = 1000;
/** Distinct (every, batch) feeds alive at once; an idle one makes room for a new one. */
const MAX_FEEDS = 32;

/**
 * The feed behind /longpoll. `batch` messages are produced every `everyMs` only
 * while someone is waiting, so an idle playground schedules nothing. Each
 * message's `sentAt` is when it was produced: the lag a client measures includes
 * the time it spent between polls, which is what long-polling costs.
 */
export class LongPollFeed {
  readonly #messages: Stamp[] = [];
  readonly #waiters = new Set<() => void>();
  #latest = 0;
  #stopProducer: (() => void) | undefined;

  constructor(
    private readonly root: Scope,
    private readonly everyMs: number,
    private readonly batch: number,
  ) {}

  get latest(): number {
    return this.#latest;
  }

  get idle(): boolean {
    return this.#waiters.size === 0;
  }

  /** Messages after `cursor`, oldest first, at most `max`. */
  after(cursor: number, max: number): Stamp[] {
    const firstSeq = this.#messages[0]?.seq ?? this.#latest + 1;
    const start = Math.max(0, cursor + 1 - firstSeq);
    return this.#messages.slice(start, start + max);
  }

  /** Calls `onMessage` once at the next batch; the returned function unsubscribes. */
  wait(onMessage: () => void): () => void {
    this.#waiters.add(onMessage);
    this.#stopProducer ??= this.root.interval(() => this.#produce(), this.everyMs);
    return () => {
      this.#waiters.delete(onMessage);
      if (this.#waiters.size === 0) this.#stopProducing();
    };
  }

  #produce(): void {
    const sentAt = sendTime();
    for (let i = 0; i < this.batch; i++) {
      this.#latest++;
      this.#messages.push(stamp(this.#latest, sentAt));
    }
    if (this.#messages.length > RETAINED_MESSAGES) this.#messages.splice(0, this.#messages.length - RETAINED_MESSAGES);
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    this.#stopProducing();
    for (const onMessage of waiting) onMessage();
  }

  #stopProducing(): void {
    this.#stopProducer?.();
    this.#stopProducer = undefined;
  }
}

/** One feed per message rate and batch size, so clients asking for different ones do not mix. */
export class LongPollFeeds {
  readonly #feeds = new Map<string, LongPollFeed>();

  constructor(private readonly root: Scope) {}

  get(everyMs: number, batch: number): LongPollFeed {
    const key = `${everyMs}/${batch}`;
    let feed = this.#feeds.get(key);
    if (feed) return feed;
    if (this.#feeds.size >= MAX_FEEDS) {
      const idle = [...this.#feeds].find(([, candidate]) => candidate.idle);
      if (!idle) throw new BadRequest(`more than ${MAX_FEEDS} different every/batch feeds are in use; reuse one`);
      this.#feeds.delete(idle[0]);
    }
    feed = new LongPollFeed(this.root, everyMs, batch);
    this.#feeds.set(key, feed);
    return feed;
  }
}
