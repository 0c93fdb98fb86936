// The preload bridge (sandboxed, so it is built as CommonJS): exposes the allow-listed
// API from preload-api.ts on `window.rti` and nothing more.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { PRELOAD_GLOBAL } from '../main/contract/transport.js'
import { createPreloadApi } from './preload-api.js'

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, createPreloadApi(ipcRenderer, (file) => webUtils.getPathForFile(file)))
