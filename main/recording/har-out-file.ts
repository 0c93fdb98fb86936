// Where exports and imports write: a new file, never over an existing one (nothing
// already recorded is lost), written under a temporary name and put in place only
// when complete, so a failed export leaves no half file behind.
import { link, open, unlink, type FileHandle } from 'node:fs/promises'

/** Text gathered before one write call: few syscalls, bounded memory. */
const FLUSH_AT = 1 << 20

export class OutFileError extends Error {
  constructor(
    readonly code: 'E_EXPORT_EXISTS' | 'E_EXPORT_WRITE',
    message: string,
  ) {
    super(message)
  }
}

export class OutFile {
  private pending: string[] = []
  private pendingLength = 0
  written = 0

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(path: string): Promise<OutFile> {
    const tempPath = `${path}.part-${process.pid}-${Date.now().toString(36)}`
    // Checked early for a clear message; link() below is the check that cannot race.
    try {
      const existing = await open(path, 'r')
      await existing.close()
      throw new OutFileError('E_EXPORT_EXISTS', `${path} already exists; remove it or choose another name`)
    } catch (error) {
      if (error instanceof OutFileError) throw error
    }
    try {
      return new OutFile(path, tempPath, await open(tempPath, 'wx'))
    } catch (error) {
      throw new OutFileError('E_EXPORT_WRITE', `cannot write ${path}: ${(error as Error).message}`)
    }
  }

  async write(text: string): Promise<void> {
    this.pending.push(text)
    this.pendingLength += text.length
    if (this.pendingLength >= FLUSH_AT) await this.flush()
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const text = this.pending.join('')
    this.pending = []
    this.pendingLength = 0
    try {
      const { bytesWritten } = await this.handle.write(text)
      this.written += bytesWritten
    } catch (error) {
      throw new OutFileError('E_EXPORT_WRITE', `cannot write ${this.path}: ${(error as Error).message}`)
    }
  }

  /** Flushes, closes and puts the file in place; refuses if the name was taken meanwhile. */
  async commit(): Promise<void> {
    try {
      await this.flush()
      await this.handle.sync()
    } finally {
      await this.handle.close()
    }
    try {
      await link(this.tempPath, this.path)
    } catch (error) {
      await unlink(this.tempPath).catch(() => {})
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') throw new OutFileError('E_EXPORT_EXISTS', `${this.path} already exists; remove it or choose another name`)
      throw new OutFileError('E_EXPORT_WRITE', `cannot write ${this.path}: ${(error as Error).message}`)
    }
    await unlink(this.tempPath)
  }

  /** Drops the temporary file; the destination is untouched. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => {})
    await unlink(this.tempPath).catch(() => {})
  }
}

/** Runs `fill` against a new file at `path`; the file appears only if `fill` completes. */
export async function writeNewFile<T>(path: string, fill: (out: OutFile) => Promise<T>): Promise<T> {
  const out = await OutFile.create(path)
  try {
    const result = await fill(out)
    await out.commit()
    return result
  } catch (error) {
    await out.abort()
    throw error
  }
}
