// A body as an evidence line shows it: an error page's text without its markup, on
// one line, cut short.

const EXCERPT_CHARS = 160

export function excerpt(body: string | undefined): string | undefined {
  if (!body) return undefined
  const text = body
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!text) return undefined
  return `"${text.slice(0, EXCERPT_CHARS)}${text.length > EXCERPT_CHARS ? '…' : ''}"`
}
