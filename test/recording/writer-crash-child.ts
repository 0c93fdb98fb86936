// A recorder for the crash test: records a WebSocket session to argv[3] and prints,
// every few ms, "<frames stamped> <wall-clock ms>" so the test knows what this
// process had seen when it is killed. Run with node --import tsx.
import { SessionManager } from '../../main/session/session-manager.js'

const [url, path] = process.argv.slice(2)
const manager = new SessionManager()
const opened = manager.open({ technique: 'websocket', url: url!, websocket: { maxPayload: 1024 * 1024 } }, { recordTo: { path: path!, exclusive: true } })
if (!opened.ok) throw new Error(opened.error.message)
const session = opened.value
// Each line is written at once (stdout to a pipe is asynchronous but ordered); the
// count is read before the time, so every frame counted was stamped before that time.
setInterval(() => {
  const frames = session.info().stats.frames
  process.stdout.write(`${frames} ${Date.now()}\n`)
}, 5)
