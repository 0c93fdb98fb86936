// A chunked NDJSON body of N records for the HTTP streaming bench (see http-flood.ts);
// `size` is the bytes per record, newline included.
import { serveFlood } from './http-flood.js'

const HEAD = '{"seq":00000000,"pad":"'

serveFlood({
  contentType: 'application/x-ndjson',
  minSize: 32,
  // `{"seq":NNNNNNNN,"pad":"xx…"}\n`: fixed width, so a block ends on a record boundary.
  record: (n, size) => `{"seq":${String(n).padStart(8, '0')},"pad":"${'x'.repeat(Math.max(0, size - HEAD.length - 3))}"}\n`,
})
