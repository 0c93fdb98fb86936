// Mock servers from the app (issue #5, replay 3): a recording's server side served on
// 127.0.0.1 so a client under development can connect to it. The engine keeps a few
// at once and stops them all when it closes.
import { z } from 'zod'
import type { TechniqueName } from './connection-spec.js'
import { OpenRecordingParamsSchema } from './recordings-library.js'

export const MIN_MOCK_SPEED = 0.01
export const MAX_MOCK_SPEED = 1000
/** Mock servers running at once, per engine: each holds a recording's server side in memory. */
export const MAX_MOCKS = 8

export const MockId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

export const StartMockParamsSchema = z.object({
  /** A recording in the data folder by name, or a file by path. */
  recording: OpenRecordingParamsSchema,
  /** 0 or absent picks a free port; a fixed one must not be privileged. */
  port: z.union([z.literal(0), z.number().int().min(1024).max(65535)]).optional(),
  /** 2 replays twice as fast. Default 1. */
  speed: z.number().min(MIN_MOCK_SPEED).max(MAX_MOCK_SPEED).optional(),
  /** WebSocket: each server message waits for the client message recorded before it. */
  afterClientMessage: z.boolean().optional(),
  /**
   * Origins (`scheme://host[:port]`, or `null`) of web pages that may use the mock
   * besides loopback ones; every other page is refused.
   */
  allowOrigins: z.array(z.string().min(1).max(2048)).max(32).optional(),
})
export type StartMockParams = z.input<typeof StartMockParamsSchema>

export interface MockInfo {
  id: string
  /** Where to connect: 127.0.0.1, the mock's port, the recorded path and query. */
  url: string
  technique: TechniqueName
  /** The recording served, as it was named when the mock started. */
  recording: { name: string } | { path: string }
  speed: number
  afterClientMessage: boolean
  /** Origins allowed besides loopback ones, normalised (absent: none). */
  allowOrigins?: string[]
  /** ms since the Unix epoch */
  startedAt: number
  /** Lines of the recording that could not be read (the rest is served). */
  problems: number
}
