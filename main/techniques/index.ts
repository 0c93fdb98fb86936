// Which module implements which technique. The other four arrive with their own
// modules behind the same interface.
import type { TechniqueName } from '../contract/index.js'
import type { TechniqueFactory } from './technique.js'
import { createLongPollingTechnique } from './long-polling.js'
import { createPollingTechnique } from './polling.js'
import { createSseTechnique } from './sse/sse-technique.js'
import { createStreamingTechnique } from './streaming.js'
import { createWebSocketTechnique } from './websocket.js'

const FACTORIES: Partial<Record<TechniqueName, TechniqueFactory>> = {
  websocket: createWebSocketTechnique,
  'long-polling': createLongPollingTechnique,
  polling: createPollingTechnique,
  sse: createSseTechnique,
  streaming: createStreamingTechnique,
}

export function techniqueFactoryFor(technique: TechniqueName): TechniqueFactory | undefined {
  return FACTORIES[technique]
}

export const SUPPORTED_TECHNIQUES = Object.keys(FACTORIES) as TechniqueName[]
