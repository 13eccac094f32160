// Which proxy a request goes through: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY from the
// environment, read as curl reads them (proxy-from-env); loopback hosts never go through one.
import type { Agent } from "node:http";
import { getProxyForUrl } from "proxy-from-env";
import { OciError } from "./errors.js";
import { isLoopback } from "./reference.js";

/** The proxy for a request to `url`, or undefined to connect directly. */
export type ProxyChooser = (url: URL) => URL | undefined;

/** The proxy the environment names for `url`; none for loopback hosts (as Go's ProxyFromEnvironment). */
export const environmentProxy: ProxyChooser = (url) => {
  if (isLoopback(url.host)) return undefined;
  const proxy = getProxyForUrl(url.href);
  if (!proxy) return undefined;
  try {
    return new URL(proxy);
  } catch {
    throw new OciError(
      "INVALID_CONFIG",
      "the proxy named in the environment (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY) is not a URL",
    );
  }
};

/**
 * Keep-alive agents that reach their targets through proxies: a CONNECT tunnel for https targets,
 * absolute-form requests for http ones. Credentials in the proxy URL go in Proxy-Authorization.
 * The agent modules load on first use (they take tens of milliseconds, and most runs need none).
 */
export class ProxyAgents {
  private readonly agents = new Map<string, Promise<Agent>>();

  /** The agent for requests to a target of the given scheme through `proxy`. */
  for(proxy: URL, secure: boolean): Promise<Agent> {
    const key = `${secure ? "https" : "http"} ${proxy.href}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      const options = { keepAlive: true, scheduling: "lifo" as const };
      agent = secure
        ? import("https-proxy-agent").then(({ HttpsProxyAgent }) => new HttpsProxyAgent(proxy, options))
        : import("http-proxy-agent").then(({ HttpProxyAgent }) => new HttpProxyAgent(proxy, options));
      this.agents.set(key, agent);
    }
    return agent;
  }
}
