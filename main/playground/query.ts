/**
 * Validation of query parameters. Every numeric parameter has a hard bound so
 * that no URL can make the playground hold unbounded time or memory.
 */

/** Thrown for input a client got wrong; the router answers it with 400. */
export class BadRequest extends Error {}

export interface IntRule {
  min: number;
  max: number;
  /** Used when the parameter is absent; `undefined` means "no value". */
  fallback?: number;
}

export function intParam(query: URLSearchParams, name: string, rule: IntRule & { fallback: number }): number;
export function intParam(query: URLSearchParams, name: string, rule: IntRule): number | undefined;
export function intParam(query: URLSearchParams, name: string, rule: IntRule): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return rule.fallback;
  // Digits only: Number() would also accept "1e3", " 12", "0x10" and "Infinity".
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
    throw new BadRequest(`${name} must be an integer from ${rule.min} to ${rule.max}, got ${JSON.stringify(raw.slice(0, 40))}`);
  }
  return value;
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new BadRequest(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw.slice(0, 40))}`);
  }
  return raw as T;
}

export function textParam(query: URLSearchParams, name: string, rule: { minBytes: number; maxBytes: number; fallback: string }): string {
  const raw = query.get(name);
  if (raw === null) return rule.fallback;
  const bytes = Buffer.byteLength(raw);
  if (bytes < rule.minBytes || bytes > rule.maxBytes) {
    throw new BadRequest(`${name} must be ${rule.minBytes} to ${rule.maxBytes} bytes of UTF-8, got ${bytes}`);
  }
  return raw;
}
