// The page of bench/ui-frame-cost.ts: plain JavaScript, run by Chromium as it is.
// FRAMES and PAYLOAD are set by the wrapper that loads this file.
/* global FRAMES, PAYLOAD */
(function measure(frames, payloadBytes) {
  const report = (type, figures) => console.log('RTI_BENCH ' + JSON.stringify({ type, ...figures }))
  const gc = globalThis.gc
  const heap = () => performance.memory.usedJSHeapSize
  const BATCH = 500
  const pad = (seq) => {
    const text = `{"seq":${seq},"sentAt":${(1.7e12 + seq / 7).toFixed(4)}}`
    return text.length >= payloadBytes ? text : text.slice(0, -1) + ',"pad":"' + 'x'.repeat(Math.max(0, payloadBytes - text.length - 9)) + '"}'
  }
  const batches = function* () {
    for (let seq = 1; seq <= frames; seq += BATCH) {
      const list = []
      for (let i = seq; i < seq + BATCH && i <= frames; i++) list.push({ kind: 'message', direction: 'in', data: pad(i), size: payloadBytes, seq: i, time: 1.7e12 + i / 7 })
      yield JSON.parse(JSON.stringify({ type: 'frames', batch: { sessionId: 's', frames: list } })).batch.frames
    }
  }
  const PREVIEW = 64
  const layouts = {
    // What FrameWindow holds today: the parsed frame objects in a plain array.
    'parsed frame objects (today)': () => {
      const kept = []
      for (const batch of batches()) for (const frame of batch) kept.push(frame)
      return kept
    },
    // Columns in typed arrays, the payload as its own string.
    'typed columns + payload string each': () => {
      const seq = new Float64Array(frames), time = new Float64Array(frames), size = new Uint32Array(frames), kind = new Uint8Array(frames)
      const data = []
      let n = 0
      for (const batch of batches()) {
        for (const f of batch) {
          seq[n] = f.seq
          time[n] = f.time
          size[n] = f.size
          kind[n] = 1
          data.push(f.data)
          n++
        }
      }
      return [seq, time, size, kind, data]
    },
    // Columns, and only the first PREVIEW characters of the payload as UTF-8, packed
    // into 1 MB byte chunks (never copied when they fill) with one offset per frame:
    // no per-frame object or string at all.
    [`typed columns + ${PREVIEW}-byte previews packed`]: () => {
      const seq = new Float64Array(frames), time = new Float64Array(frames), size = new Uint32Array(frames), kind = new Uint8Array(frames)
      const CHUNK = 1 << 20
      const offset = new Float64Array(frames + 1)
      const chunks = [new Uint8Array(CHUNK)]
      const encoder = new TextEncoder()
      let n = 0
      let used = 0
      for (const batch of batches()) {
        for (const f of batch) {
          seq[n] = f.seq
          time[n] = f.time
          size[n] = f.size
          kind[n] = 1
          if (used + PREVIEW * 3 > CHUNK) {
            chunks.push(new Uint8Array(CHUNK))
            used = 0
          }
          used += encoder.encodeInto(f.data.slice(0, PREVIEW), chunks.at(-1).subarray(used)).written
          offset[++n] = (chunks.length - 1) * CHUNK + used
        }
      }
      return [seq, time, size, kind, offset, chunks]
    },
  }
  const results = {}
  const kept = []
  for (const [name, build] of Object.entries(layouts)) {
    gc()
    const before = heap()
    kept.push(build())
    gc()
    results[name] = (heap() - before) / frames
    kept.length = 0
  }
  report('cost', { frames, payloadBytes, bytesPerFrame: results })
  report('done', {})
})(FRAMES, PAYLOAD)
