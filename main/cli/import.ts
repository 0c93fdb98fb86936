// `rti import HAR --out FILE|DIR`: the sessions a HAR holds as recordings; prints
// each file it made.
import { importHar } from '../recording/har-import.js'
import { EXIT } from './errors.js'
import { asCliError } from './export.js'

export async function runImport(har: string, flags: { out: string; includeSecrets?: boolean }): Promise<number> {
  try {
    const result = await importHar(har, flags.out, { includeSecrets: flags.includeSecrets === true })
    for (const made of result.created) {
      process.stdout.write(`created ${made.path}: ${made.technique} ${made.url}, ${made.frames} frames, ${made.messages} message${made.messages === 1 ? '' : 's'}\n`)
    }
    if (result.skippedEntries > 0) process.stdout.write(`left out ${result.skippedEntries} one-off request${result.skippedEntries === 1 ? '' : 's'} (page traffic, not a realtime session)\n`)
  } catch (error) {
    throw asCliError(error)
  }
  return EXIT.OK
}
