// What one held frame costs in the renderer's heap, layout by layout, measured in
// Chromium (pointer compression and all, unlike Node). Evidence for choosing the
// compact window that docs/architecture.md ("Budgets") asks for (<= 150 B per held frame); not part of
// `npm run bench`. Frames are made as the page gets them: JSON.parse of bridge
// messages of 500 frames each.
//   node --import tsx bench/ui-frame-cost.ts [frames=1000000] [payload bytes=42]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runPage } from './ui-chromium.js'

const FRAMES = Number(process.argv[2] ?? 1_000_000)
const PAYLOAD = Number(process.argv[3] ?? 42)

const folder = await mkdtemp(join(tmpdir(), 'rti-frame-cost-'))
try {
  const page = join(folder, 'cost.html')
  const script = await readFile(fileURLToPath(new URL('./ui-frame-cost.page.js', import.meta.url)), 'utf8')
  await writeFile(page, `<!doctype html><script>const FRAMES = ${FRAMES}, PAYLOAD = ${PAYLOAD};\n${script}</script>`)
  const reports = await runPage(pathToFileURL(page).href, 300_000, () => {})
  const cost = reports.find((r) => r.type === 'cost') as { bytesPerFrame: Record<string, number> } | undefined
  console.log(`Renderer heap per held frame, ${FRAMES.toLocaleString('en-US')} WebSocket messages of ${PAYLOAD} bytes (goal <= 150 B):`)
  for (const [layout, bytes] of Object.entries(cost?.bytesPerFrame ?? {})) console.log(`  ${layout.padEnd(44)}${bytes.toFixed(0).padStart(6)} B`)
} finally {
  await rm(folder, { recursive: true, force: true })
}
