import { GraphQLError, GraphQLFloat, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { pacedValues } from './paced-values.js';
import { sendTime } from './payload.js';
import type { Scope } from './scope.js';

/**
 * The schema the playground's GraphQL endpoints serve (graphql-ws and graphql-sse):
 *
 *   type Query { hello: String! }
 *   type Tick { n: Int!, sentAt: Float! }
 *   type Subscription {
 *     ticks(count: Int = 5, intervalMs: Int = 1000): Tick!   # completes after count
 *     greetings: String!                                    # a few words, then completes
 *     failing(after: Int = 2): Tick                          # after `after` ticks, a result with an error, then completes
 *   }
 *
 * Every subscription is bounded (count, interval floor), so no operation runs for
 * ever or floods a client.
 */

/** What each operation runs in: its timers are owned by the connection's scope. */
// A type, not an interface: the libraries want a context indexable as a record.
export type PlaygroundGraphQlContext = { scope: Scope };

export const MAX_TICKS = 1000;
export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 60_000;
const GREETINGS = ['Hello', 'Bonjour', 'Hola', 'Ciao', 'Hallo'];
const GREETING_INTERVAL_MS = 250;

interface Tick {
  n: number;
  sentAt: number;
  /** Set on the tick `failing` turns into an error. */
  fail?: boolean;
}

const TickType = new GraphQLObjectType<Tick>({
  name: 'Tick',
  fields: {
    n: { type: new GraphQLNonNull(GraphQLInt) },
    sentAt: { type: new GraphQLNonNull(GraphQLFloat), description: 'Server send time, epoch milliseconds.' },
  },
});

const Query = new GraphQLObjectType({
  name: 'Query',
  fields: {
    hello: { type: new GraphQLNonNull(GraphQLString), resolve: () => 'Hello from the Realtime Inspector playground' },
  },
});

const Subscription = new GraphQLObjectType<unknown, PlaygroundGraphQlContext>({
  name: 'Subscription',
  fields: {
    ticks: {
      type: new GraphQLNonNull(TickType),
      description: `A tick every intervalMs (${MIN_INTERVAL_MS}-${MAX_INTERVAL_MS}), complete after count (1-${MAX_TICKS}).`,
      args: {
        count: { type: GraphQLInt, defaultValue: 5 },
        intervalMs: { type: GraphQLInt, defaultValue: 1000 },
      },
      subscribe: (_root, args: { count: number | null; intervalMs: number | null }, { scope }) => {
        const count = bounded('count', args.count ?? 5, 1, MAX_TICKS);
        const intervalMs = bounded('intervalMs', args.intervalMs ?? 1000, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
        return pacedValues(scope, count, intervalMs, (n) => ({ ticks: { n, sentAt: sendTime() } }));
      },
    },
    greetings: {
      type: new GraphQLNonNull(GraphQLString),
      description: `${GREETINGS.length} greetings, ${GREETING_INTERVAL_MS} ms apart, then complete.`,
      subscribe: (_root, _args, { scope }) => pacedValues(scope, GREETINGS.length, GREETING_INTERVAL_MS, (n) => ({ greetings: GREETINGS[n - 1] })),
    },
    failing: {
      type: TickType,
      description: 'after ticks (0-100, one a second), then a result whose field failed (data null, an error), then complete.',
      args: { after: { type: GraphQLInt, defaultValue: 2 } },
      subscribe: (_root, args: { after: number | null }, { scope }) => {
        const after = bounded('after', args.after ?? 2, 0, 100);
        return pacedValues(scope, after + 1, 1000, (n) => ({ failing: { n, sentAt: sendTime(), fail: n > after } }));
      },
      resolve: (value) => {
        const tick = (value as { failing: Tick }).failing;
        if (tick.fail) throw new GraphQLError(`tick ${tick.n} failed on purpose`);
        return tick;
      },
    },
  },
});

export const playgroundSchema = new GraphQLSchema({ query: Query, subscription: Subscription });

function bounded(name: string, value: number, min: number, max: number): number {
  if (value < min || value > max) throw new GraphQLError(`${name} must be from ${min} to ${max}, got ${value}`);
  return value;
}
