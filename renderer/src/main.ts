import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createApiClient } from './api'
import { useSessionsStore } from './stores/sessions'
import './styles/theme.css'
import './styles/badges.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
void useSessionsStore(pinia).init(createApiClient(), { connectOnFirstRun: true })
app.mount('#app')
