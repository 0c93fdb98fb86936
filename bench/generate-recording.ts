// A large recording made quickly for the index benchmark and tests: a header, then
// WebSocket-like traffic — mostly received messages, every 10th one sent, every
// 1000th a ping — written with string concatenation (~80 bytes a frame).
import { open } from 'node:fs/promises'

export const GENERATED_START = 1_795_000_000_000

/** The text the frame at position i (0-based) carries, so a test can predict matches. */
export const generatedData = (i: number) => (i % 10 === 9 ? `{"op":"ack","n":${i}}` : `{"tick":${i},"price":${(i % 977) + 0.5}}`)

export async function generateRecording(path: string, count: number): Promise<number> {
  const header = { format: 'rti-session', version: 1, spec: { technique: 'websocket', url: 'ws://127.0.0.1:9/ticker' }, startedAt: GENERATED_START }
  const file = await open(path, 'w')
  try {
    await file.write(JSON.stringify(header) + '\n')
    const BATCH = 20_000
    for (let from = 0; from < count; from += BATCH) {
      let text = ''
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const time = GENERATED_START + i * 0.25
        if (i % 1000 === 999) text += `{"seq":${i + 1},"time":${time},"direction":"in","kind":"ping","data":"p${i}"}\n`
        else {
          const data = generatedData(i)
          text += `{"seq":${i + 1},"time":${time},"direction":"${i % 10 === 9 ? 'out' : 'in'}","kind":"message","data":${JSON.stringify(data)},"size":${data.length}}\n`
        }
      }
      await file.write(text)
    }
    return (await file.stat()).size
  } finally {
    await file.close()
  }
}
