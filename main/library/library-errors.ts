// Library failures travel as Results with stable codes. Inside the store they are
// thrown as LibraryFailure and turned into a Result at the store's edge, so no
// exception (an fs error, a SecretBox that rejects) ever crosses the API.
import { fail, type Result } from '../contract/index.js'

export const LIBRARY_ERRORS = {
  /** The engine was started without a data folder. */
  unavailable: 'E_LIBRARY_UNAVAILABLE',
  notFound: 'E_LIBRARY_NOT_FOUND',
  /** A file exists but cannot be read as what it should be; it is left untouched. */
  unreadable: 'E_LIBRARY_UNREADABLE',
  read: 'E_LIBRARY_READ',
  write: 'E_LIBRARY_WRITE',
} as const

export class LibraryFailure extends Error {
  constructor(
    readonly code: (typeof LIBRARY_ERRORS)[keyof typeof LIBRARY_ERRORS],
    message: string,
  ) {
    super(message)
  }
}

/** Runs `work`, answering a failed Result for anything it throws. */
export async function asResult<T>(work: () => Promise<Result<T>>, fallbackCode: string): Promise<Result<T>> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof LibraryFailure) return fail(error.code, error.message)
    return fail(fallbackCode, describeError(error))
  }
}

export function describeError(error: unknown): string {
  const errno = error as NodeJS.ErrnoException | undefined
  if (errno?.code && errno.path) return `${errno.code}: ${errno.path}${errno.syscall ? ` (${errno.syscall})` : ''}`
  return error instanceof Error ? error.message : String(error)
}
