// proxy-from-env 2 ships no type declarations.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` per HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, or '' for none. */
  export function getProxyForUrl(url: string | URL): string
}
