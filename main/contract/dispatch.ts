// One gate for every call that crosses a transport (IPC or the bridge): the method
// must be in the table and its argument must satisfy the method's schema. Whatever
// happens, the caller gets a Result, never an exception.
import { API_METHODS, fail, isApiMethod, type InspectorApi, type Result } from './api.js'

export async function dispatchApiCall(api: InspectorApi, method: unknown, argument: unknown): Promise<Result<unknown>> {
  if (!isApiMethod(method)) return fail('E_API_UNKNOWN_METHOD', `unknown method ${JSON.stringify(String(method).slice(0, 64))}`)
  const parsed = API_METHODS[method].safeParse(argument)
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; ')
    return fail('E_API_INVALID_ARGUMENT', `${method}: ${detail}`)
  }
  try {
    const call = api[method] as (arg: unknown) => Promise<Result<unknown>>
    return await call.call(api, parsed.data)
  } catch (error) {
    return fail('E_INTERNAL', describeFault(error))
  }
}

/**
 * One line about anything thrown, without ever throwing itself: a thrown value may
 * have no toString (Object.create(null)), a getter that throws, or be a revoked Proxy.
 */
export function describeFault(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message)
    return String(error)
  } catch {
    return 'a value that cannot be printed was thrown'
  }
}
