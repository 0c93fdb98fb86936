// Electron's PAC-style proxy answers, translated into the one proxy URL the engine uses.
import { describe, expect, it } from 'vitest'
import { systemProxyResolver, translatePacResult } from '../../electron/pac-result.js'

describe('translatePacResult', () => {
  it.each([
    ['DIRECT', undefined],
    ['', undefined],
    ['PROXY proxy.corp:3128', 'http://proxy.corp:3128'],
    ['PROXY proxy.corp:3128; DIRECT', 'http://proxy.corp:3128'],
    ['HTTPS secure.corp:443', 'https://secure.corp:443'],
    ['SOCKS5 127.0.0.1:1080', 'socks5h://127.0.0.1:1080'],
    ['PROXY [::1]:8080', 'http://[::1]:8080'],
    ['  proxy  a.example:1 ;DIRECT', 'http://a.example:1'],
  ])('%j → %s', (pac, url) => {
    expect(translatePacResult(pac)).toBe(url)
  })

  it('skips what it cannot use and takes the next entry', () => {
    expect(translatePacResult('SOCKS4 old.corp:1080; PROXY new.corp:8080')).toBe('http://new.corp:8080')
    expect(translatePacResult('QUIC q.corp:443; DIRECT')).toBeUndefined()
    expect(translatePacResult('PROXY no-port; PROXY ok.corp:80')).toBe('http://ok.corp:80')
    expect(translatePacResult('PROXY bad.corp:99999')).toBeUndefined()
  })

  it('stops at DIRECT when it comes first', () => {
    expect(translatePacResult('DIRECT; PROXY p.corp:3128')).toBeUndefined()
  })

  it('takes no input beyond its bound', () => {
    expect(translatePacResult(`${'SOCKS4 x:1; '.repeat(1000)}PROXY late.corp:1`)).toBeUndefined()
  })
})

describe('systemProxyResolver', () => {
  it('asks for the HTTP twin of a WebSocket URL and translates the answer', async () => {
    const asked: string[] = []
    const resolve = systemProxyResolver(async (url) => {
      asked.push(url)
      return 'PROXY p.corp:3128; DIRECT'
    })
    await expect(resolve('wss://example.test/socket')).resolves.toBe('http://p.corp:3128')
    await expect(resolve('ws://example.test/socket')).resolves.toBe('http://p.corp:3128')
    await expect(resolve('https://example.test/events')).resolves.toBe('http://p.corp:3128')
    expect(asked).toEqual(['https://example.test/socket', 'http://example.test/socket', 'https://example.test/events'])
  })
})
