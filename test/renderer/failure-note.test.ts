// A refusal in a sidebar: the engine's message, its code, and the code's meaning on hover.
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import FailureNote from '../../renderer/src/components/FailureNote.vue'

describe('FailureNote', () => {
  it("says what failed with the engine's message and code, and the catalogue's words on the code", () => {
    const note = mount(FailureNote, { props: { what: 'open notes.json', error: { code: 'E_UPLOAD_TOO_BIG', message: 'the file is 300 MB' } } })
    expect(note.text()).toBe('Could not open notes.json: the file is 300 MB (E_UPLOAD_TOO_BIG)')
    expect(note.get('.code').attributes('title')).toBe('The recording is larger than an upload may be.')
  })

  it('has no tooltip for a code the catalogue does not know', () => {
    const note = mount(FailureNote, { props: { what: 'save', error: { code: 'E_FROM_A_NEWER_ENGINE', message: 'no' } } })
    expect(note.get('.code').attributes('title')).toBeUndefined()
  })
})
