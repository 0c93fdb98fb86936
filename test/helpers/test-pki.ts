// Certificates for the TLS tests, made with the openssl CLI in a temp dir: a test
// CA, server certificates it signed (right and wrong names), a self-signed one,
// and a client certificate.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestPki {
  dir: string
  caFile: string
  serverCert: string
  serverKey: string
  /** Signed by the CA for `elsewhere.test` only. */
  wrongNameCert: string
  wrongNameKey: string
  selfSignedCert: string
  selfSignedKey: string
  caCert: string
  clientCertFile: string
  clientKeyFile: string
  remove(): void
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'rti-pki-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })

  openssl('req', '-x509', ...KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=RTI Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  const signed = (name: string, subject: string, extensions: string) => {
    writeFileSync(path(`${name}.ext`), extensions)
    openssl('req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject)
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`)
  }
  signed('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  signed('wrong-name', '/CN=elsewhere.test', 'subjectAltName=DNS:elsewhere.test\nextendedKeyUsage=serverAuth\n')
  signed('client', '/CN=rti-test-client', 'extendedKeyUsage=clientAuth\n')
  openssl('req', '-x509', ...KEY, '-keyout', 'self.key', '-out', 'self.crt', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1')

  const read = (name: string) => readFileSync(path(name), 'utf8')
  return {
    dir,
    caFile: path('ca.crt'),
    caCert: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    wrongNameCert: read('wrong-name.crt'),
    wrongNameKey: read('wrong-name.key'),
    selfSignedCert: read('self.crt'),
    selfSignedKey: read('self.key'),
    clientCertFile: path('client.crt'),
    clientKeyFile: path('client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
