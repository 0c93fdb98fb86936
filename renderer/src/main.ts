import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createApiClient } from './api'
import { useLibraryStore } from './stores/library'
import { useRecordingsStore } from './stores/recordings'
import { useSessionsStore } from './stores/sessions'
import './styles/theme.css'
import './styles/badges.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const store = useSessionsStore(pinia)
if (location.hash.startsWith('#bench')) {
  // The UI benchmark (bench/ui.ts) drives the page itself: its probe is a chunk of its
  // own, loaded only here, and starts the store with the frame cap it measures.
  void import('./bench/probe').then(({ runProbe, probeOptions }) => runProbe(store, createApiClient(), probeOptions(location.hash)))
} else {
  const client = createApiClient()
  void store.init(client, { connectOnFirstRun: true })
  void useLibraryStore(pinia).init(client)
  void useRecordingsStore(pinia).init(client)
}
app.mount('#app')
