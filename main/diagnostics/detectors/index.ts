// The detectors every session runs, one module per family of findings.
import type { Detector } from '../detector.js'
import { cutsDetector } from './cuts.js'
import { gatewayTimeoutDetector } from './gateway-timeout.js'
import { reconnectStormDetector } from './reconnect-storm.js'
import { silentDropDetector } from './silent-drop.js'

export function defaultDetectors(): Detector[] {
  return [
    cutsDetector(),
    silentDropDetector(),
    reconnectStormDetector(),
    gatewayTimeoutDetector(),
  ]
}
