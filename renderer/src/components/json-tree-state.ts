// What the JSON tree's toolbar last asked its nodes to do. Nodes read it when they
// mount and watch it afterwards; a budget bounds how many children an "expand all"
// may put in the DOM, so a huge document cannot freeze the window.
import { type InjectionKey, ref, type Ref } from 'vue'

export type TreeMode = 'auto' | 'expand' | 'collapse'

export interface TreeCommand {
  mode: TreeMode
  /** Bumped on every toolbar click, so the same command twice still applies. */
  generation: Ref<number>
  /** Children still allowed to appear because of the command (or the automatic first view). */
  budget: number
}

/** Children an "expand all" may render in total. */
export const EXPAND_ALL_BUDGET = 5_000
/** Children the first, automatic view may open. */
export const AUTO_BUDGET = 300
/** Children of one node rendered at a time; the rest wait behind "show more". */
export const CHILDREN_PAGE = 100
/** Characters of a string shown before "show more". */
export const STRING_PREVIEW = 300

export const TREE_COMMAND: InjectionKey<TreeCommand> = Symbol('json-tree-command')

export function newTreeCommand(): TreeCommand {
  return { mode: 'auto', generation: ref(0), budget: AUTO_BUDGET }
}

/** Entries of an object or array, or how many there are, without copying a big array. */
export function childCount(value: unknown): number {
  if (Array.isArray(value)) return value.length
  if (value !== null && typeof value === 'object') return Object.keys(value).length
  return 0
}

export const isContainer = (value: unknown): value is object => value !== null && typeof value === 'object'
