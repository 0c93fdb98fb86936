// The UI benchmark's backend, in a process of its own as `rti serve` would run it:
// the real engine with its playground, and the bridge serving a built renderer.
// Prints the page's URL; serves until stdin closes.
//   node --import tsx bench/ui-server.ts <renderer dir>
import { startBridge } from '../main/bridge/index.js'
import { createEngine } from '../main/engine.js'

const rendererDir = process.argv[2]
const engine = await createEngine({ playground: true })
const bridge = await startBridge({ engine, port: 0, ...(rendererDir ? { rendererDir } : {}) })
process.stdout.write(bridge.url + '\n')
process.stdin.resume()
process.stdin.on('end', async () => {
  await bridge.close()
  await engine.close()
  process.exit(0)
})
