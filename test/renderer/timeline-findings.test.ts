import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import TimelineChart from '../../renderer/src/components/TimelineChart.vue'
import { layoutFindingMarks } from '../../renderer/src/components/finding-marks'
import { useSessionsStore } from '../../renderer/src/stores/sessions'
import { finding } from './diagnostics-stand-in'
import { AREA, T0, measurePlotBox, timelineSession as session } from './timeline-stand-in'

// As in timeline-chart.test.ts: no canvas in happy-dom, so uPlot is a recorder.
vi.mock('../../renderer/src/components/timeline-plot', () => ({
  PLOT_INSETS: { top: 6, right: 56, bottom: 20, left: 42 },
  createTimelinePlot: () => ({ setData: vi.fn(), setSize: vi.fn(), destroy: vi.fn() }),
}))

const range = { start: T0, end: T0 + 100_000 }

describe('finding marks on the timeline', () => {
  it('places each finding moment in plot pixels, merges those that would overlap, keeps the most serious, skips those outside the range', () => {
    const marks = layoutFindingMarks(
      [
        finding({ id: 'idle-timeout', severity: 'warning', summary: 'cut after 3 s idle', times: [T0 + 10_000, T0 + 50_000, T0 + 200_000] }),
        finding({ id: 'connection-reset', severity: 'error', summary: 'reset', times: [T0 + 50_200] }),
        finding({ id: 'buffering', severity: 'info', summary: 'held back', times: undefined }),
      ],
      range,
      AREA,
    )
    expect(marks.map((m) => ({ x: m.x, severity: m.severity, count: m.count, time: m.time }))).toEqual([
      { x: 100, severity: 'warning', count: 1, time: T0 + 10_000 },
      { x: 500, severity: 'error', count: 2, time: T0 + 50_000 },
    ])
    expect(marks[0]!.label).toBe('Finding: idle-timeout at 12:00:10.000 — cut after 3 s idle')
    expect(marks[1]!.label).toContain('2 finding moments from 12:00:50.000 to 12:00:50.200')
    expect(marks[1]!.label).toContain('connection-reset at 12:00:50.200 — reset')
    expect(layoutFindingMarks(undefined, range, AREA)).toEqual([])
  })

  describe('in the chart', () => {
    let store: ReturnType<typeof useSessionsStore>
    beforeEach(() => {
      setActivePinia(createPinia())
      store = useSessionsStore()
      localStorage.clear()
      measurePlotBox()
    })
    afterEach(() => vi.restoreAllMocks())

    it('draws marks apart from the pins, names the finding on hover, reveals the frames from that moment on click, and follows changed findings', async () => {
      const revealTime = vi.spyOn(store, 'revealTime').mockReturnValue(true)
      const revealSeq = vi.spyOn(store, 'revealSeq').mockReturnValue()
      const chart = mount(TimelineChart, { props: { session: session() }, attachTo: document.body })
      await nextTick()
      expect(chart.findAll('[data-testid="timeline-finding"]')).toHaveLength(0)
      expect(chart.text()).not.toContain('finding')

      await chart.setProps({ session: session({ findings: [finding({ summary: 'cut after 3 s idle', times: [T0 + 20_000] })] }) })
      await nextTick()
      const mark = chart.get('[data-testid="timeline-finding"]')
      expect(mark.attributes('data-severity')).toBe('warning')
      expect(mark.attributes('style')).toContain('left: 200px')
      expect(chart.find('[data-testid="timeline-marker"]').exists()).toBe(false)
      expect(chart.get('.key-markers').text()).toContain('finding')
      await mark.trigger('mouseenter')
      expect(chart.get('[data-testid="timeline-tooltip"]').text()).toBe('Finding: idle-timeout at 12:00:20.000 — cut after 3 s idle')
      await mark.trigger('click')
      expect(revealTime).toHaveBeenCalledWith(T0 + 20_000)
      expect(revealSeq).not.toHaveBeenCalled()
      chart.unmount()
    })
  })
})
