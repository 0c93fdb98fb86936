// The URL and headers a request really goes out with: the spec's query parameters
// appended, and the auth turned into an Authorization header.
import type { ConnectionSpec } from '../contract/index.js'

export function requestUrl(spec: ConnectionSpec, extraQuery: Record<string, string> = {}): string {
  const url = new URL(spec.url)
  for (const { name, value } of spec.query) url.searchParams.append(name, value)
  for (const [name, value] of Object.entries(extraQuery)) url.searchParams.set(name, value)
  return url.toString()
}

/** The spec's headers plus auth; repeated names are joined as HTTP allows. */
export function requestHeaders(spec: ConnectionSpec, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {}
  const set = (name: string, value: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`
  }
  for (const { name, value } of spec.headers) set(name, value)
  const hasAuthorization = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')
  if (!hasAuthorization && spec.auth.type === 'basic') set('Authorization', `Basic ${Buffer.from(`${spec.auth.username}:${spec.auth.password}`).toString('base64')}`)
  if (!hasAuthorization && spec.auth.type === 'bearer') set('Authorization', `Bearer ${spec.auth.token}`)
  for (const [name, value] of Object.entries(extra)) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase())
    if (key) delete headers[key]
    headers[name] = value
  }
  return headers
}
