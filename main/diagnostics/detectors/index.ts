// The detectors every session runs, one module per family of findings.
import type { Detector } from '../detector.js'

export function defaultDetectors(): Detector[] {
  return []
}
