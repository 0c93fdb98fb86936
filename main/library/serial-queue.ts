// Several clients (windows, browser tabs) call the library at once. Each store runs
// its operations one after another, so two saves cannot pick the same new id or
// interleave a read-modify-write of the same file.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work)
    this.tail = result.catch(() => undefined)
    return result
  }
}
