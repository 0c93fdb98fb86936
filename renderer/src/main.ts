import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createApiClient } from './api'
import { PRELOAD_GLOBAL, type PreloadApi } from '@contract'
import { useLibraryStore } from './stores/library'
import { usePlaybackStore } from './stores/playback'
import { useRecordingsStore } from './stores/recordings'
import { useSessionsStore } from './stores/sessions'
import './styles/theme.css'
import './styles/badges.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const store = useSessionsStore(pinia)
if (location.hash.startsWith('#bench-tabs')) {
  // The many-tabs benchmark (bench/tabs.ts): many sessions at once, the page's heap against its budget.
  void import('./bench/tabs-probe').then(({ runTabsProbe, tabsOptions }) => runTabsProbe(store, createApiClient(), tabsOptions(location.hash)))
} else if (location.hash.startsWith('#bench')) {
  // The UI benchmark (bench/ui.ts) drives the page itself: its probe is a chunk of its
  // own, loaded only here, and starts the store with the frame cap it measures.
  void import('./bench/probe').then(({ runProbe, probeOptions }) => runProbe(store, createApiClient(), probeOptions(location.hash)))
} else {
  const client = createApiClient()
  void store.init(client, { connectOnFirstRun: true })
  void useLibraryStore(pinia).init(client)
  void useRecordingsStore(pinia).init(client)
  // The desktop app's File › Open Recording… and files opened with the app.
  const preload = (window as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL]
  preload?.onOpenRecording?.((path) => void usePlaybackStore(pinia).open({ path }, 'view'))
}
app.mount('#app')
