// The detectors every session runs, one module per family of findings.
import type { Detector } from '../detector.js'
import { bufferingDetector } from './buffering.js'
import { coalescingDelayDetector } from './coalescing-delay.js'
import { cutsDetector } from './cuts.js'
import { gatewayTimeoutDetector } from './gateway-timeout.js'
import { notEventStreamDetector } from './not-event-stream.js'
import { proxyDeniedDetector } from './proxy-denied.js'
import { reconnectStormDetector } from './reconnect-storm.js'
import { silentDropDetector } from './silent-drop.js'
import { staleCacheDetector } from './stale-cache.js'
import { upgradeStrippedDetector } from './upgrade-stripped.js'

export function defaultDetectors(): Detector[] {
  return [
    cutsDetector(),
    silentDropDetector(),
    reconnectStormDetector(),
    gatewayTimeoutDetector(),
    // flow and HTTP
    bufferingDetector(),
    coalescingDelayDetector(),
    upgradeStrippedDetector(),
    proxyDeniedDetector(),
    staleCacheDetector(),
    notEventStreamDetector(),
  ]
}
