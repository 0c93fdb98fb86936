// connect: the endpoint once, exactly as the user asked for it (technique, headers,
// proxy, TLS). Times the headers and the first byte, names the hop from the answer,
// and lets the session's passive detectors have their say.
import { nameIntermediary } from '../../diagnostics/intermediary.js'
import { firstByteMs, headersMs, type HoldResult } from '../hold.js'
import { seconds, type ProbeContext } from '../probe-context.js'
import { deriveSpec } from '../targets.js'

/** Long enough for a first message on a lively endpoint, short enough not to matter. */
const LOOK_MS = 5000
const AFTER_FIRST_BYTE_MS = 1000

/** Codes that mean the path itself is broken: nothing else can be measured through it. */
const PATH_BROKEN = /^E_(PROXY_|DNS|CONNECT_REFUSED|UNREACHABLE|TLS)/

export interface ConnectOutcome {
  result: HoldResult
  /** Why nothing can get through, when that is so. */
  broken?: string
}

export async function connectCheck(ctx: ProbeContext): Promise<ConnectOutcome> {
  ctx.update('connect', { state: 'running', startedAt: Date.now() })
  const spec = deriveSpec(ctx.spec, { technique: ctx.spec.technique, url: ctx.spec.url, credentials: true, detectors: true })
  let firstSeenAt: number | undefined
  const hold = ctx.hold({
    spec,
    until: Math.min(ctx.deadline, Date.now() + LOOK_MS),
    enough: (r) => {
      if (r.responseAt !== undefined && !ctx.intermediary) ctx.intermediary = nameIntermediary(r.headers, r.body)
      if (r.arrivals.length > 0) firstSeenAt ??= Date.now()
      return firstSeenAt !== undefined && Date.now() - firstSeenAt >= AFTER_FIRST_BYTE_MS
    },
  })
  const result = await hold.result
  const intermediary = nameIntermediary(result.headers, result.body)
  if (intermediary) ctx.intermediary = intermediary
  const toHeaders = headersMs(result)
  const toFirstByte = firstByteMs(result)
  if (toHeaders !== undefined) ctx.measured.timeToHeadersMs = Math.round(toHeaders)
  if (toFirstByte !== undefined) ctx.measured.firstByteMs = Math.round(toFirstByte)

  const error = result.errors.find((e) => e.code !== 'E_RECONNECT_GAVE_UP')
  const opened = result.openAt !== undefined || (result.status !== undefined && result.status < 400)
  const parts: string[] = []
  if (result.status !== undefined) parts.push(`${result.status}${result.fromProxy ? ' from the proxy' : ''}`)
  if (toHeaders !== undefined) parts.push(`headers after ${seconds(toHeaders)}`)
  if (toFirstByte !== undefined) parts.push(`first byte after ${seconds(toFirstByte)}`)
  else if (opened) parts.push(`no data within ${seconds(LOOK_MS)}`)
  if (result.responseAt === undefined && !result.errors.length) parts.push(`no response headers within ${seconds(result.endedAt - result.startedAt)}`)
  if (intermediary) parts.push(`through ${intermediary.label} (${intermediary.source})`)
  if (error) parts.push(`${error.code}: ${error.message}`)
  const detail = parts.join('; ')
  ctx.update('connect', { state: opened ? 'done' : 'failed', detail, endedAt: Date.now() })
  const broken = !opened && error && result.status === undefined && PATH_BROKEN.test(error.code) ? `${error.code}: ${error.message}` : undefined
  return { result, ...(broken ? { broken } : {}) }
}
