// `npm start`: build, then open the desktop app — or, where Electron cannot run (no
// binary installed, no display), serve the same UI in browser mode instead.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
// Run the CLIs' JS with this node rather than .bin shims: no shell, same on every OS.
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
const rti = join(root, 'bin', 'rti.mjs')

/** Runs a node script with our stdio, passing SIGINT/SIGTERM on; resolves with its exit code. */
function runNode(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' })
    const forward = (signal) => child.kill(signal)
    process.on('SIGINT', forward).on('SIGTERM', forward)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward)
      resolve(code ?? 128 + (constants.signals[signal] ?? 0))
    })
  })
}

/** Why Electron cannot run here, or undefined when it can. Never `require('electron')`: that downloads. */
function electronUnavailable() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  const executable = existsSync(pathFile) && join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!executable || !existsSync(executable)) return 'no Electron binary installed'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display'
  return undefined
}

const built = await runNode(electronVite, ['build'])
if (built !== 0) process.exit(built)

const reason = electronUnavailable()
if (reason) console.log(`Electron is not available here (${reason}) — serving the app in browser mode instead.`)
process.exitCode = reason ? await runNode(rti, ['serve']) : await runNode(electronVite, ['preview', '--skipBuild'])
