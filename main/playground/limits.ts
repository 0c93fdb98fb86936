/** Upper bounds shared by the endpoints; see query.ts for why everything has one. */
import { MAX_PAYLOAD_SIZE } from './payload.js';

export const MAX_INTERVAL_MS = 60 * 60 * 1000;
/** Delays before faults; long enough to imitate slow intermediaries (Azure's 4 min). */
export const MAX_DELAY_MS = 60 * 60 * 1000;
/** The flood ticker feeds an ingest benchmark with millions of messages. */
export const MAX_COUNT = 1_000_000_000;
export const MAX_HOLD_MS = 60 * 1000;
export const MAX_SIZE = MAX_PAYLOAD_SIZE;

export const intervalRule = { min: 1, max: MAX_INTERVAL_MS, fallback: 1000 };
export const countRule = { min: 1, max: MAX_COUNT };
export const delayRule = { min: 0, max: MAX_DELAY_MS };
