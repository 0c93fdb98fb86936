import { describe, expect, it } from 'vitest'
import { ConnectionSpecSchema, type ConnectionSpecInput } from '@contract'
import { draftForEndpoint, draftFromSpec, draftToInput } from '../../renderer/src/editor/spec-draft'
import { useLibraryStore } from '../../renderer/src/stores/library'
import { bar, connectButton, mountBar, openTab, pause, problemAt, setUp, useConnectionBar } from './connection-bar-harness'

useConnectionBar()

/** What Connect sends. */
async function connectSpec(): Promise<ConnectionSpecInput> {
  await connectButton().trigger('click')
  const emitted = bar.emitted('connect')
  expect(emitted).toBeDefined()
  return emitted!.at(-1)![0] as ConnectionSpecInput
}

describe('connection editor: the Protocol tab', () => {
  it('offers every protocol, auto by default, and sends nothing about it while auto', async () => {
    mountBar()
    await setUp('websocket', 'ws://example.com/socket')
    await openTab('protocol')
    const select = bar.get('[data-testid=protocol]')
    expect((select.element as HTMLSelectElement).value).toBe('auto')
    expect(select.findAll('option').map((o) => o.attributes('value'))).toEqual(['auto', 'none', 'socket.io', 'graphql-transport-ws', 'graphql-ws', 'graphql-sse'])
    expect((await connectSpec()).protocol).toBeUndefined()
  })

  it('Socket.IO on an http:// URL starts with polling (upgrade offered); on ws:// it is WebSocket', async () => {
    mountBar()
    await setUp('websocket', 'http://127.0.0.1:8080/socket.io/')
    await openTab('protocol')
    await bar.get('[data-testid=protocol]').setValue('socket.io')
    expect((bar.get('[data-testid=technique]').element as HTMLSelectElement).value).toBe('long-polling')
    expect(bar.find('[data-testid=socketio-upgrade]').exists()).toBe(true)
    expect(bar.get('[data-testid=editor-tab-protocol]').text()).toBe('Protocol: Socket.IO')

    await bar.get('[data-testid=url]').setValue('ws://127.0.0.1:8080/socket.io/')
    await bar.get('[data-testid=protocol]').setValue('none')
    await bar.get('[data-testid=protocol]').setValue('socket.io')
    expect((bar.get('[data-testid=technique]').element as HTMLSelectElement).value).toBe('websocket')
    expect(bar.find('[data-testid=socketio-upgrade]').exists()).toBe(false)
  })

  it('GraphQL over WebSocket moves an http:// URL to ws://, graphql-sse moves ws:// to http:// and SSE', async () => {
    mountBar()
    await setUp('sse', 'http://127.0.0.1:8080/graphql')
    await openTab('protocol')
    await bar.get('[data-testid=protocol]').setValue('graphql-transport-ws')
    expect((bar.get('[data-testid=technique]').element as HTMLSelectElement).value).toBe('websocket')
    expect((bar.get('[data-testid=url]').element as HTMLInputElement).value).toBe('ws://127.0.0.1:8080/graphql')
    await bar.get('[data-testid=protocol]').setValue('graphql-sse')
    expect((bar.get('[data-testid=technique]').element as HTMLSelectElement).value).toBe('sse')
    expect((bar.get('[data-testid=url]').element as HTMLInputElement).value).toBe('http://127.0.0.1:8080/graphql')
    expect(bar.find('[data-testid=graphql-single-connection]').exists()).toBe(true)
  })

  it('sends the Socket.IO options the engine takes, only those that differ from the defaults', async () => {
    mountBar()
    await setUp('websocket', 'ws://127.0.0.1:8080/socket.io/')
    await openTab('protocol')
    await bar.get('[data-testid=protocol]').setValue('socket.io')
    await bar.get('[data-testid=socketio-namespace]').setValue('/admin')
    await bar.get('[data-testid=socketio-auth]').setValue('{"token": "abc"}')
    await bar.get('[data-testid=socketio-eio]').setValue('3')
    const spec = await connectSpec()
    expect(spec.protocol).toEqual({ name: 'socket.io', socketio: { namespace: '/admin', auth: '{"token": "abc"}', eio: 3 } })
    expect(ConnectionSpecSchema.safeParse(spec).success).toBe(true)
  })

  it('explains JSON that does not parse beside its field, and an auth that is not an object', async () => {
    mountBar()
    await setUp('websocket', 'ws://127.0.0.1:8080/socket.io/')
    await openTab('protocol')
    await bar.get('[data-testid=protocol]').setValue('socket.io')
    await bar.get('[data-testid=socketio-auth]').setValue('{"token": abc}')
    await pause()
    expect(problemAt('protocol.socketio.auth')).toBe('not JSON: line 1, column 11: unexpected character')
    expect(bar.get('[data-testid=connect-reason]').text()).toContain('Auth payload: not JSON')
    expect(connectButton().attributes('disabled')).toBeDefined()
    expect(bar.find('[data-testid=editor-tab-protocol] .problem-dot').exists()).toBe(true)

    await bar.get('[data-testid=socketio-auth]').setValue('["token"]')
    await pause()
    expect(problemAt('protocol.socketio.auth')).toBe('must be a JSON object, e.g. {"token": "…"}')

    await bar.get('[data-testid=socketio-namespace]').setValue('admin')
    await bar.get('[data-testid=socketio-auth]').setValue('')
    await pause()
    expect(problemAt('protocol.socketio.auth')).toBeUndefined()
    expect(problemAt('protocol.socketio.namespace')).toBe('a namespace starts with "/"')
  })

  it('edits several GraphQL operations, skips a blank one, and files problems under their row', async () => {
    mountBar()
    await setUp('websocket', 'ws://127.0.0.1:8080/graphql')
    await openTab('protocol')
    await bar.get('[data-testid=protocol]').setValue('graphql-ws')
    await bar.get('[data-testid=graphql-init]').setValue('{"authToken": "t"}')
    await bar.get('[data-testid=add-operation]').trigger('click')
    await bar.get('[data-testid=add-operation]').trigger('click')
    await bar.get('[data-testid=add-operation]').trigger('click')
    const ops = () => bar.findAll('[data-testid=graphql-operation]')
    await ops()[0]!.get('[data-testid=operation-query]').setValue('subscription OnTick { tick }')
    await ops()[0]!.get('[data-testid=operation-name]').setValue('OnTick')
    await ops()[2]!.get('[data-testid=operation-query]').setValue('subscription ($room: Int) { chat(room: $room) }')
    await ops()[2]!.get('[data-testid=operation-variables]').setValue('{"room": }')
    await pause()
    const key = bar.findAll('[data-testid=graphql-operation] [data-field$=".variables"]')[2]!.attributes('data-field')
    expect(problemAt(key!)).toBe('not JSON: line 1, column 10: expected a value')
    expect(bar.get('[data-testid=connect-reason]').text()).toContain('Operation 3 variables: not JSON')

    await ops()[2]!.get('[data-testid=operation-variables]').setValue('{"room": 1}')
    await pause()
    const spec = await connectSpec()
    expect(spec.protocol).toEqual({
      name: 'graphql-ws',
      graphql: {
        init: '{"authToken": "t"}',
        operations: [
          { query: 'subscription OnTick { tick }', operationName: 'OnTick' },
          { query: 'subscription ($room: Int) { chat(room: $room) }', variables: '{"room": 1}' },
        ],
      },
    })

    await ops()[0]!.get('[data-testid=remove-operation]').trigger('click')
    expect(ops()).toHaveLength(2)
    expect((ops()[1]!.get('[data-testid=operation-query]').element as HTMLTextAreaElement).value).toContain('chat(room')
  })

  it('says when the technique picked afterwards cannot carry the protocol', async () => {
    mountBar()
    await setUp('websocket', 'ws://127.0.0.1:8080/graphql')
    await openTab('protocol')
    await bar.get('[data-testid=protocol]').setValue('graphql-transport-ws')
    await bar.get('[data-testid=technique]').setValue('polling')
    await pause()
    expect(problemAt('protocol.name')).toBe('GraphQL WS runs over websocket, not polling')
  })

  it('loads a saved connection’s protocol into the form and gives the same spec back', () => {
    const spec = ConnectionSpecSchema.parse({
      technique: 'websocket',
      url: 'ws://127.0.0.1:8080/graphql',
      protocol: { name: 'graphql-transport-ws', graphql: { init: '{"a":1}', operations: [{ query: 'subscription { tick }', variables: '{"n":1}', operationName: 'T' }] } },
    })
    const input = draftToInput(draftFromSpec(spec)).input
    expect(ConnectionSpecSchema.parse(input)).toEqual(spec)
    expect(useLibraryStore().draft.protocol.name).toBe('auto')
  })
})

describe('playground examples with a protocol', () => {
  it('picking the Socket.IO example chooses Socket.IO, so it can emit as picked', () => {
    const draft = draftForEndpoint({ technique: 'websocket', name: 'Socket.IO chat', url: 'ws://127.0.0.1:1/socket.io/', description: '', protocol: 'socket.io' })
    expect(draftToInput(draft).input.protocol).toEqual({ name: 'socket.io' })
    const plain = draftForEndpoint({ technique: 'websocket', name: 'Echo', url: 'ws://127.0.0.1:1/ws/echo', description: '' })
    expect(draftToInput(plain).input.protocol).toBeUndefined()
  })
})
