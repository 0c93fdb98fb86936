import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import HexView from '../../renderer/src/components/HexView.vue'
import { base64ByteLength, base64ToBytes, hexDumpText, hexLine, hexLineChars, hexLines, utf8Bytes } from '../../renderer/src/format/hex'

// "Hello, world!\n", then NUL, DEL and 0xff (none printable), then "ABCDEFGHIJ": 27 bytes.
const SAMPLE = new Uint8Array([...new TextEncoder().encode('Hello, world!\n'), 0x00, 0x7f, 0xff, ...new TextEncoder().encode('ABCDEFGHIJ')])

/** The dump as the user reads it: the three columns side by side, line by line. */
function dumpOf(view: ReturnType<typeof mount>): string[] {
  if (!view.find('[data-testid=hex-offsets]').exists()) return []
  const column = (id: string) => view.get(`[data-testid=${id}]`).element.textContent!.split('\n')
  const [offsets, hex, ascii] = [column('hex-offsets'), column('hex-bytes'), column('hex-ascii')]
  return offsets.map((offset, i) => `${offset} | ${hex[i]} | ${ascii[i]}`)
}
const lineCount = (view: ReturnType<typeof mount>) => dumpOf(view).length

describe('hex dump lines', () => {
  it('lays out 16 bytes per line in two groups of eight, with offsets and ASCII', () => {
    expect(hexLines(SAMPLE)).toEqual([
      { offset: '00000000', hex: '48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 7f', ascii: 'Hello, world!...' },
      { offset: '00000010', hex: 'ff 41 42 43 44 45 46 47  48 49 4a               ', ascii: '.ABCDEFGHIJ' },
    ])
  })

  it('pads a short last line so its ASCII column lines up with the full ones', () => {
    const full = hexLine(SAMPLE, 0)
    const partial = hexLine(SAMPLE, 16)
    expect(partial.hex).toHaveLength(full.hex.length)
  })

  it('writes offsets in hex past the first 256 bytes', () => {
    const bytes = new Uint8Array(0x123)
    expect(hexLines(bytes).map((l) => l.offset).slice(-2)).toEqual(['00000110', '00000120'])
  })

  it('can hold 8 bytes a line for a narrow pane, with the column widths that takes', () => {
    expect(hexLines(SAMPLE, 0, SAMPLE.length, 8).map((l) => `${l.offset} ${l.hex} ${l.ascii}`)).toEqual([
      '00000000 48 65 6c 6c 6f 2c 20 77 Hello, w',
      '00000008 6f 72 6c 64 21 0a 00 7f orld!...',
      '00000010 ff 41 42 43 44 45 46 47 .ABCDEFG',
      '00000018 48 49 4a                HIJ',
    ])
    expect(hexLineChars(16)).toBe(8 + 48 + 16)
    expect(hexLineChars(8)).toBe(8 + 23 + 8)
  })

  it('reads like hexdump -C as text', () => {
    expect(hexDumpText(SAMPLE)).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 7f  |Hello, world!...|\n' +
        '00000010  ff 41 42 43 44 45 46 47  48 49 4a                 |.ABCDEFGHIJ|',
    )
  })

  it('decodes base64 payloads and counts their bytes without decoding', () => {
    expect(Array.from(base64ToBytes('AAF/gP8=')!)).toEqual([0x00, 0x01, 0x7f, 0x80, 0xff])
    expect(base64ByteLength('AAF/gP8=')).toBe(5)
    expect(base64ToBytes('not base64!')).toBeUndefined()
  })

  it('shows text as its UTF-8 bytes, multi-byte characters as dots', () => {
    expect(hexLines(utf8Bytes('é€😀'))).toEqual([{ offset: '00000000', hex: 'c3 a9 e2 82 ac f0 9f 98  80                     ', ascii: '.........' }])
  })
})

describe('HexView', () => {
  it('renders every line of a small buffer: offset, hex and ASCII', () => {
    const view = mount(HexView, { props: { bytes: SAMPLE } })
    expect(dumpOf(view)).toEqual([
      '00000000 | 48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 7f | Hello, world!...',
      '00000010 | ff 41 42 43 44 45 46 47  48 49 4a                | .ABCDEFGHIJ',
    ])
    expect(view.text()).toContain('27 B')
  })

  it('says so when there are no bytes', () => {
    const view = mount(HexView, { props: { bytes: new Uint8Array() } })
    expect(lineCount(view)).toBe(0)
    expect(view.text()).toContain('(no bytes)')
  })

  it('builds only the first page of a big buffer, and more on request', async () => {
    const view = mount(HexView, { props: { bytes: new Uint8Array(10 * 1024), page: 1024 } })
    expect(lineCount(view)).toBe(64)
    expect(view.text()).toContain('9.0 KB not shown')
    await view.get('[data-testid=hex-show-more]').trigger('click')
    expect(lineCount(view)).toBe(320)
    await view.get('[data-testid=hex-show-all]').trigger('click')
    expect(lineCount(view)).toBe(640)
    expect(view.find('[data-testid=hex-show-more]').exists()).toBe(false)
  })

  it('starts again from the first page when it is given other bytes', async () => {
    const view = mount(HexView, { props: { bytes: new Uint8Array(10 * 1024), page: 1024 } })
    await view.get('[data-testid=hex-show-all]').trigger('click')
    await view.setProps({ bytes: new Uint8Array(5 * 1024) })
    expect(lineCount(view)).toBe(64)
  })
})
