// Reading a header the way HTTP defines it (RFC 9110 §5), in one place for the engine,
// the recordings and the app: a name matches in any case, and a field sent more than
// once reads as one value, its lines joined with ", " in the order received (§5.3).
// Set-Cookie is the exception (RFC 6265 §3): its lines hold commas of their own (Expires)
// and are never joined, so it reads line by line through headerList.
// Pure: no Node, usable by the renderer.

/** Headers as undici and Node give them (a repeated name as an array), or as HAR lists them. */
export type HeaderSource = Readonly<Record<string, string | readonly string[] | undefined>> | readonly { readonly name: string; readonly value: string }[]

/** Every line of one header, in the order received; [] when absent. */
export function headerList(headers: HeaderSource, name: string): string[] {
  const wanted = name.toLowerCase()
  const lines: string[] = []
  if (isList(headers)) {
    for (const header of headers) if (header.name.toLowerCase() === wanted) lines.push(header.value)
    return lines
  }
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || key.toLowerCase() !== wanted) continue
    if (typeof value === 'string') lines.push(value)
    else lines.push(...value)
  }
  return lines
}

/**
 * One header's value: its lines joined with ", ", undefined when absent. Set-Cookie
 * gives its first line only (the others through headerList), never a joined string
 * that would read as one broken cookie.
 */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  const lines = headerList(headers, name)
  if (lines.length === 0) return undefined
  return name.toLowerCase() === 'set-cookie' ? lines[0] : lines.join(', ')
}

function isList(headers: HeaderSource): headers is readonly { readonly name: string; readonly value: string }[] {
  return Array.isArray(headers)
}
