// Naming the hop from what it leaves in responses (docs/diagnostics.md), and
// the well-known defaults offered when a measured figure matches one.
import { describe, expect, it } from 'vitest'
import { cacheHit, nameIntermediary } from '../../main/diagnostics/intermediary.js'
import { matchKnownDefaults } from '../../main/diagnostics/known-defaults.js'

describe('naming the intermediary', () => {
  it.each([
    [{ via: '1.1 rti-test-squid (squid/5.7)', 'x-cache': 'MISS from rti-test-squid' }, 'Squid', 'squid/5.7'],
    [{ via: '1.1 tinyproxy (tinyproxy/1.11.1)' }, 'tinyproxy', 'tinyproxy/1.11.1'],
    [{ 'proxy-agent': 'tinyproxy/1.11.1' }, 'tinyproxy', 'tinyproxy/1.11.1'],
    [{ server: 'nginx/1.22.1' }, 'nginx', 'nginx/1.22.1'],
    [{ server: 'cloudflare', 'cf-ray': '8a1b2c3d4e5f-AMS' }, 'Cloudflare', 'Cloudflare'],
    [{ 'x-amz-cf-id': 'abc==', via: '1.1 abc.cloudfront.net (CloudFront)' }, 'Amazon CloudFront', 'Amazon CloudFront'],
    [{ 'x-azure-ref': '0abc' }, 'Azure Front Door', 'Azure Front Door'],
    [{ server: 'envoy', 'x-envoy-upstream-service-time': '3' }, 'Envoy', 'Envoy'],
    [{ server: 'awselb/2.0' }, 'AWS Elastic Load Balancing', 'awselb/2.0'],
    [{ via: '1.1 google' }, 'Google Cloud Load Balancing', 'Google Cloud Load Balancing'],
    [{ 'x-squid-error': 'ERR_ACCESS_DENIED 0', server: 'squid/5.7' }, 'Squid', 'Squid'],
  ])('%j names %s', (headers, name, label) => {
    expect(nameIntermediary(headers)).toMatchObject({ name, label })
  })

  it('says which header named it', () => {
    expect(nameIntermediary({ server: 'nginx/1.22.1' })?.source).toBe('Server: nginx/1.22.1')
  })

  it('names a gateway from its error page when no header does (HAProxy sends no Server)', () => {
    expect(nameIntermediary({ 'content-type': 'text/html' }, "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>")?.name).toBe('HAProxy')
    expect(nameIntermediary({}, '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx/1.22.1</center></body></html>')?.name).toBe('nginx')
  })

  it('names nothing for an origin that says nothing about a hop', () => {
    expect(nameIntermediary({ 'content-type': 'text/event-stream', 'x-powered-by': 'Express' })).toBeUndefined()
    expect(nameIntermediary({ server: 'uvicorn' }, '{"error":"not found"}')).toBeUndefined()
  })

  it('tells a cache answer', () => {
    expect(cacheHit({ 'x-cache': 'HIT from rti-test-squid' })).toBe('X-Cache: HIT from rti-test-squid')
    expect(cacheHit({ 'cf-cache-status': 'HIT' })).toBe('CF-Cache-Status: HIT')
    expect(cacheHit({ age: '12' })).toBe('Age: 12')
    expect(cacheHit({ 'x-cache': 'MISS from squid', age: '0' })).toBeUndefined()
  })
})

describe('well-known defaults', () => {
  it('offers the defaults a measured idle time matches, the named product first', () => {
    expect(matchKnownDefaults('idle', 60_300, 'nginx')[0]).toMatch(/^nginx proxy_read_timeout/)
    expect(matchKnownDefaults('idle', 59_800, 'AWS Elastic Load Balancing')[0]).toMatch(/^AWS Application Load Balancer/)
    expect(matchKnownDefaults('idle', 100_400)).toEqual([expect.stringMatching(/Cloudflare/)])
    expect(matchKnownDefaults('silent-drop', 240_000)).toEqual([expect.stringMatching(/Azure Load Balancer/)])
    expect(matchKnownDefaults('lifetime', 30_000)).toEqual([expect.stringMatching(/Google Cloud/)])
    expect(matchKnownDefaults('delay', 205)).toEqual([expect.stringMatching(/HAProxy/)])
  })

  it('offers none when nothing matches', () => {
    expect(matchKnownDefaults('idle', 3_000)).toEqual([])
    expect(matchKnownDefaults('idle', 45_000)).toEqual([])
    expect(matchKnownDefaults('delay', 20)).toEqual([])
  })
})
