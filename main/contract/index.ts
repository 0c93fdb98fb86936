// The contract between the engine and everything that talks to it. Pure types and
// schemas: importable from Node, the renderer and the preload alike.
export * from './frames.js'
export * from './connection-spec.js'
export * from './close-codes.js'
export * from './api.js'
export * from './library.js'
export * from './recording.js'
export * from './recordings-library.js'
export * from './playback.js'
export * from './resend.js'
export * from './mock.js'
export * from './dispatch.js'
export * from './transport.js'
