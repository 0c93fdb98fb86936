// One browser tab's connection to the engine: calls in, Results and frame batches out.
import type { WebSocket } from 'ws'
import { dispatchApiCall, type BridgeServerMessage, type FrameBatch, type InspectorApi } from '../contract/index.js'

/** Past this much unsent data the tab is not keeping up: batches shrink to their control frames. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

export function serveApiSocket(socket: WebSocket, client: InspectorApi & { dispose(): void }): void {
  const send = (message: BridgeServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
  }

  const stopFrames = client.onFrames((batch) => send({ type: 'frames', batch: shedIfBehind(batch, socket.bufferedAmount) }))

  socket.on('message', async (data, isBinary) => {
    const call = isBinary ? undefined : parseCall(data.toString())
    if (!call) {
      socket.close(1003, 'expected JSON calls')
      return
    }
    send({ type: 'result', id: call.id, result: await dispatchApiCall(client, call.method, call.argument) })
  })
  socket.on('close', () => {
    stopFrames()
    client.dispose()
  })
  socket.on('error', () => socket.terminate())
}

function parseCall(text: string): { id: number; method: unknown; argument: unknown } | undefined {
  try {
    const value = JSON.parse(text) as { type?: unknown; id?: unknown; method?: unknown; argument?: unknown }
    if (value?.type !== 'call' || !Number.isSafeInteger(value.id)) return undefined
    return { id: value.id as number, method: value.method, argument: value.argument }
  } catch {
    return undefined
  }
}

/** The engine never waits for a slow tab: drop message frames, keep the state and the counts. */
function shedIfBehind(batch: FrameBatch, buffered: number): FrameBatch {
  if (buffered < MAX_BUFFERED_BYTES) return batch
  const kept = batch.frames.filter((f) => f.kind !== 'message' && f.kind !== 'chunk')
  return { ...batch, frames: kept, skipped: batch.skipped + batch.frames.length - kept.length }
}
