// The Electron main process: starts the engine (with the playground, so a first run
// shows live traffic), serves it to one window over IPC, and closes it on quit.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron'
import { join } from 'node:path'
import { guardProcess, stderrReporter } from '../main/api-guard.js'
import { createEngine, type Engine } from '../main/engine.js'
import { appMenuTemplate } from './app-menu.js'
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol.js'
import { PendingRecordings, recordingPathsIn } from './recording-paths.js'
import { registerIpcRouter } from './ipc-router.js'
import { systemProxyResolver } from './pac-result.js'
import { IPC_OPEN_RECORDING_CHANNEL } from '../main/contract/transport.js'
import { APP_SCHEME, isRendererUrl, rendererLocation } from './renderer-location.js'
import { secretBoxFromSafeStorage } from './secret-box.js'
import { applySecurityPolicy } from './security.js'
import { mainWindowOptions } from './window-options.js'

// The engine runs in this process: a fault that escapes every call (thrown later from a
// timer or a stream event, a rejection nobody awaited) is reported to the app's log,
// once per fault and bounded, instead of Electron's error box; the sessions go on.
const report = stderrReporter()
guardProcess(report)

// Built layout: out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs')
const RENDERER_DIR = join(import.meta.dirname, '../renderer')
// Only an unpackaged app follows the dev server; a packaged one always loads its own files.
const renderer = rendererLocation(app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'], RENDERER_DIR)
const trusted = isRendererUrl(renderer)
// DevTools (menu and window) only in development.
const devTools = !app.isPackaged
// The app's scheme must be declared before the app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])

let engine: Engine | undefined
let stopRouter: (() => void) | undefined
let mainWindow: BrowserWindow | undefined
const pendingRecordings = new PendingRecordings()
for (const path of recordingPathsIn(process.argv)) pendingRecordings.add(path)
// macOS opens files through an event, possibly before the app is ready.
app.on('open-file', (event, path) => {
  event.preventDefault()
  pendingRecordings.add(path)
})

async function chooseRecording(): Promise<void> {
  const options = { title: 'Open Recording', properties: ['openFile' as const], filters: [{ name: 'Realtime Inspector session', extensions: ['jsonl'] }] }
  const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options)
  for (const path of picked.filePaths) pendingRecordings.add(path)
}

function createWindow(): void {
  const window = new BrowserWindow(mainWindowOptions({ preload: PRELOAD_PATH, devTools }))
  mainWindow = window
  // Paths wait until the page has loaded (and subscribed); a reload makes them wait again.
  window.webContents.on('did-start-loading', () => pendingRecordings.unready())
  window.webContents.on('did-finish-load', () => pendingRecordings.ready((path) => window.webContents.send(IPC_OPEN_RECORDING_CHANNEL, path)))
  window.on('closed', () => {
    pendingRecordings.unready()
    mainWindow = undefined
  })
  void window.loadURL(renderer.url)
}

async function start(): Promise<void> {
  applySecurityPolicy(session.defaultSession, app, { isRendererUrl: trusted })
  if (renderer.kind === 'app') protocol.handle(APP_SCHEME, appProtocolHandler(renderer.dir))
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, app.getName(), { openRecording: () => void chooseRecording() }, { devTools })))
  // Connections with proxy mode 'system' follow the OS settings (and PAC) as Chromium sees them.
  // Saved connections live in the app's data folder, their secrets in the OS keychain when it has one.
  engine = await createEngine({
    playground: true,
    net: { resolveSystemProxy: systemProxyResolver((url) => session.defaultSession.resolveProxy(url)) },
    dataDir: app.getPath('userData'),
    secretBox: await secretBoxFromSafeStorage(safeStorage),
    report,
  })
  const running = engine
  stopRouter = registerIpcRouter(ipcMain, { createClient: () => running.createClient('ipc'), isTrustedSender: trusted })
  createWindow()
}

app.whenReady().then(start).catch(fail)

app.on('window-all-closed', () => app.quit())

// Quitting (last window closed, Cmd+Q, app.quit()) waits once for the engine to close its
// sessions and the playground, so nothing is left running.
app.on('will-quit', (event) => {
  if (!engine) return
  event.preventDefault()
  const closing = engine
  engine = undefined
  stopRouter?.()
  closing.close().finally(() => app.quit())
})

function fail(error: unknown): void {
  dialog.showErrorBox('Realtime Inspector could not start', error instanceof Error ? error.message : String(error))
  app.exit(1)
}
