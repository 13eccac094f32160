// Types for proxy-from-env, which ships none.
declare module "proxy-from-env" {
  /** The proxy URL the environment names for `url`, or "" when it should be fetched directly. */
  export function getProxyForUrl(url: string | URL): string;
}
