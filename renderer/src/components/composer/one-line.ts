// A payload squeezed into one short line for a menu: line breaks shown as ⏎, long text cut.
const MAX = 120

export function oneLine(body: string): string {
  const flat = body.slice(0, MAX + 1).replace(/\r?\n/g, ' ⏎ ').replace(/\s+/g, ' ').trim()
  if (flat === '') return '(empty)'
  return flat.length > MAX ? `${flat.slice(0, MAX)}…` : flat
}
