// TLS settings from the connection spec, with the PEM files read from disk. A file
// that cannot be read is the user's mistake to fix, so it gets a clear message.
import { readFile } from 'node:fs/promises'
import type { TlsOptions } from '../contract/index.js'

export interface LoadedTls {
  ca?: string[]
  cert?: string
  key?: string
  rejectUnauthorized: boolean
}

export class TlsFileError extends Error {
  readonly code = 'E_TLS_FILE'
}

const MAX_PEM_BYTES = 1024 * 1024

export async function loadTls(tls: TlsOptions): Promise<LoadedTls> {
  const read = async (what: string, path: string | undefined) => {
    if (!path) return undefined
    try {
      const text = await readFile(path, 'utf8')
      if (text.length > MAX_PEM_BYTES) throw new TlsFileError(`the ${what} file ${path} is larger than 1 MiB; is it really a PEM file?`)
      return text
    } catch (error) {
      if (error instanceof TlsFileError) throw error
      throw new TlsFileError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
  const [ca, cert, key] = await Promise.all([read('CA', tls.caFile), read('client certificate', tls.certFile), read('client key', tls.keyFile)])
  if (Boolean(cert) !== Boolean(key)) throw new TlsFileError('a client certificate needs both --cert and --key')
  return {
    // A custom CA is added to the system's, not put in its place.
    ...(ca ? { ca: [...(await import('node:tls')).rootCertificates, ca] } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: !tls.insecure,
  }
}

/**
 * TLS towards an https:// proxy: the same trust (the CA file, or no verification)
 * as towards the origin, but never the client certificate, which is the origin's.
 */
export function proxyTlsOf(tls: LoadedTls): Pick<LoadedTls, 'ca' | 'rejectUnauthorized'> {
  return { rejectUnauthorized: tls.rejectUnauthorized, ...(tls.ca ? { ca: tls.ca } : {}) }
}
