/// <reference types="vite/client" />
import type { PreloadApi } from '@contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Present only inside the desktop app (exposed by the preload script). */
    rti?: PreloadApi
  }
}
