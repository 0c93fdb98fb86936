import type { AddressInfo } from 'node:net';
import { describeEndpoints, type PlaygroundEndpoint } from './endpoints.js';
import { createPlaygroundServer } from './server.js';

export type { PlaygroundEndpoint, PlaygroundTechnique } from './endpoints.js';

export interface PlaygroundOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the playground is for this machine only unless asked. */
  host?: string;
  /** How often the long-poll feed produces a message while clients wait (default 1000). */
  longPollEveryMs?: number;
  /** How often the polled counter changes (default 2000). */
  pollEveryMs?: number;
}

export interface Playground {
  /** `http://host:port`, without a trailing slash. */
  baseUrl: string;
  port: number;
  endpoints: PlaygroundEndpoint[];
  /** Ends every connection and timer; safe to call more than once. */
  close(): Promise<void>;
}

/** Starts the built-in demo server with an endpoint for every technique and fault. */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${requestedPort}`);
  }
  const longPollEveryMs = positiveMs(options.longPollEveryMs, 1000, 'longPollEveryMs');
  const pollEveryMs = positiveMs(options.pollEveryMs, 2000, 'pollEveryMs');

  let endpoints: PlaygroundEndpoint[] = [];
  const { server, close } = createPlaygroundServer({ longPollEveryMs, pollEveryMs, endpoints: () => endpoints });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${urlHost(host)}:${port}`;
  endpoints = describeEndpoints(baseUrl);
  return { baseUrl, port, endpoints, close };
}

/** A wildcard address is reachable from here through loopback; IPv6 needs brackets in a URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1 || value > 3_600_000) throw new RangeError(`${name} must be 1 to 3600000 ms, got ${value}`);
  return value;
}
