// Where browser mode keeps its saved connections when not told: $RTI_DATA_DIR, else
// the XDG config folder, as most Linux tools do (the desktop app uses its userData).
import { join } from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv, home: string): string {
  if (env['RTI_DATA_DIR']) return env['RTI_DATA_DIR']
  const config = env['XDG_CONFIG_HOME'] || join(home, '.config')
  return join(config, 'realtime-inspector')
}
