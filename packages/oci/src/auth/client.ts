// The HTTP client every registry call goes through: auth challenges and tokens, manual redirects, retries, transport policy.

import { anySignal, scopeSignal } from "../abort-scope.js";
import { BULK, type BulkRequestInit } from "../bulk.js";
import { errorFromResponse, OciError } from "../errors.js";
import { discardBody, type HttpFetch, type HttpResponse } from "../http.js";
import type { ProxyChooser } from "../proxy.js";
import { assertTransportAllowed, registryBaseUrl, type TransportPolicy } from "../reference.js";
import { type RetryPolicy, withRetry } from "../retry.js";
import { createNodeFetch } from "../transport.js";
import { type Challenge, parseWwwAuthenticate } from "./challenge.js";
import type { Credential, CredentialProvider } from "./credentials.js";
import { mergeScopes } from "./scope.js";
import { TokenCache } from "./token-cache.js";

/** Options shared by every request a client makes. */
export interface ClientOptions {
  /** Where credentials come from; none means anonymous only. */
  credentials?: CredentialProvider;
  /** Hosts allowed over plain HTTP besides loopback. */
  transport?: TransportPolicy;
  retry?: RetryPolicy;
  /**
   * Replaced only to wrap or observe requests. The default is node:http/https with keep-alive
   * connections owned by this client (blob bodies are then read without the web-stream layer).
   */
  fetch?: HttpFetch;
  userAgent?: string;
  /** Receives one line per request (method, URL, status); never headers or secrets. */
  log?: (message: string) => void;
  tokenCache?: TokenCache;
  maxRedirects?: number;
  /** When the token service rejects the credentials, go on anonymously (default true; `login` turns it off). */
  anonymousFallback?: boolean;
  /** Picks the proxy per request for the default transport; default: the environment's (see proxy.ts). */
  proxy?: ProxyChooser;
  /**
   * Milliseconds the default transport waits for a connection, for a response to start, or for
   * the next byte of a body (either way) before the request fails with a TIMEOUT OciError
   * (default 30 s; 0 waits forever). A transfer that keeps moving never times out. A `fetch` of
   * the caller's own has its own timeouts.
   */
  timeoutMs?: number;
  /**
   * Stops every request of this client when it fires (besides each request's own signal, and
   * the signal of a `withAbortSignal` scope around the call).
   */
  signal?: AbortSignal;
}

/** One request. The body is a factory so that retries and auth round trips can send it again. */
export interface SendOptions {
  /** The registry name credentials are stored under (`docker.io`, `localhost:5000`). */
  registry: string;
  /** Token scopes the request needs, e.g. `repository:ns/name:pull`. */
  scopes: string[];
  method?: string;
  headers?: Record<string, string>;
  body?: () => RequestInit["body"];
  /** False for requests that must not be repeated (a PATCH of an upload chunk). */
  retry?: boolean;
  /** False to get a 3xx back instead of following it. */
  followRedirects?: boolean;
  signal?: AbortSignal;
  /**
   * Only `signal` stops the request, not the client's or the scope's: for clean-up after an
   * abort (removing an upload session), which must still go out.
   */
  detached?: boolean;
  /** The body is bulk data on its way to a file: the default transport reads it on a connection of its own. */
  bulk?: boolean;
}

interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
}

/**
 * Sends registry requests with authentication. Bearer tokens are fetched per host and scope and
 * cached; Basic credentials are sent when the registry asks for them. Credentials are used only
 * for requests to the registry's own origin and only on its own challenges (the token realm it
 * names gets them too); the Authorization header and request bodies never follow a redirect to
 * another origin.
 */
export class AuthClient {
  readonly options: ClientOptions;
  private readonly tokens: TokenCache;
  private readonly fetchFn: HttpFetch;
  /** The last Bearer challenge per origin, to fetch tokens for new scopes before the first 401. */
  private readonly bearer = new Map<string, Challenge>();
  /** Origins known to want Basic auth, with the header to send. */
  private readonly basic = new Map<string, string>();
  /** Registries whose credentials a token service rejected (then anonymous tokens are used). */
  private readonly rejected = new Set<string>();
  private readonly credentials = new Map<string, Promise<Credential | undefined>>();
  private readonly pendingTokens = new Map<string, Promise<string>>();

  constructor(options: ClientOptions = {}) {
    this.options = options;
    this.tokens = options.tokenCache ?? new TokenCache();
    this.fetchFn =
      options.fetch ??
      createNodeFetch({
        ...(options.proxy ? { proxy: options.proxy } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
  }

  async send(url: string | URL, opts: SendOptions): Promise<HttpResponse> {
    const target = new URL(url);
    assertTransportAllowed(target, this.options.transport);
    // Credentials, tokens and challenges belong to the registry's own origin. A URL the registry
    // points to elsewhere (the next page of a tag list, an upload Location on storage) gets none.
    const origin = this.registryOrigin(opts.registry);
    if (target.origin !== origin) return this.sendElsewhere(target, opts);
    const scopes = mergeScopes(opts.scopes);
    let authorization = await this.preemptive(origin, opts.registry, scopes);
    let { res, at } = await this.hop(target, opts, authorization);
    if (res.status !== 401) return res;
    await discardBody(res);
    // Only the registry's own challenge counts: one from a host it redirected to could name any
    // token realm, which would then be sent the registry's credentials.
    if (at.origin !== origin) throw authElsewhere(at, opts.registry);

    const challenges = parseWwwAuthenticate(res.headers.get("www-authenticate") ?? "");
    authorization = await this.authorize(origin, opts.registry, challenges, scopes);
    if (authorization === undefined) {
      throw new OciError(
        "UNAUTHORIZED",
        `${opts.registry} requires authentication and no credentials are configured; log in with \`wasm-compose login ${opts.registry}\``,
        { status: 401 },
      );
    }
    ({ res, at } = await this.hop(target, opts, authorization));
    if (res.status === 401) {
      await discardBody(res);
      if (at.origin !== origin) throw authElsewhere(at, opts.registry);
      const login = `log in with \`wasm-compose login ${opts.registry}\``;
      if (!authorization.startsWith("Basic ") && !this.rejected.has(opts.registry)) {
        const cred = await this.credential(opts.registry);
        if (cred === undefined) {
          // Only an anonymous token was asked for: nothing was rejected, credentials are missing.
          throw new OciError(
            "UNAUTHORIZED",
            `${opts.registry} does not allow this without credentials (an anonymous token was refused); ${login}`,
            { status: 401 },
          );
        }
      }
      const why = authorization.startsWith("Basic ")
        ? "the registry rejected the credentials"
        : this.rejected.has(opts.registry)
          ? "the token service rejected the credentials, and an anonymous token is not enough"
          : "the token does not grant access";
      throw new OciError("UNAUTHORIZED", `${opts.registry} refused the request after authenticating: ${why}`, {
        status: 401,
      });
    }
    return res;
  }

  /** A request to a URL on another origin than the registry's: anonymous, and a 401 there is final. */
  private async sendElsewhere(target: URL, opts: SendOptions): Promise<HttpResponse> {
    const { res, at } = await this.hop(target, opts, undefined);
    if (res.status !== 401) return res;
    await discardBody(res);
    throw authElsewhere(at, opts.registry);
  }

  /** The origin a registry's API is served from: the only one its credentials are sent to. */
  private registryOrigin(registry: string): string {
    return new URL(registryBaseUrl(registry, this.options.transport)).origin;
  }

  /**
   * Checks that the credentials are accepted: `GET /v2/` with authentication and no anonymous
   * fallback (what `login` runs before saving anything).
   */
  async verifyLogin(registry: string, baseUrl: string): Promise<void> {
    const res = await this.send(`${baseUrl}/v2/`, { registry, scopes: [] });
    await discardBody(res);
    if (!res.ok) throw await errorFromResponse(res, `logging in to ${registry}`);
  }

  /** Forgets cached tokens and Basic headers (after logout). */
  reset(): void {
    this.tokens.clear();
    this.bearer.clear();
    this.basic.clear();
    this.rejected.clear();
    this.credentials.clear();
  }

  private async preemptive(origin: string, registry: string, scopes: string[]): Promise<string | undefined> {
    const basic = this.basic.get(origin);
    if (basic) return basic;
    const challenge = this.bearer.get(origin);
    if (!challenge) return undefined;
    const cached = this.tokens.get(origin, scopes);
    if (cached) return `Bearer ${cached}`;
    return `Bearer ${await this.fetchToken(origin, registry, challenge, scopes)}`;
  }

  private async authorize(
    origin: string,
    registry: string,
    challenges: Challenge[],
    scopes: string[],
  ): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.realm);
    if (bearer) {
      const merged = mergeScopes([...scopes, ...(bearer.params.scope ? [bearer.params.scope] : [])]);
      this.bearer.set(origin, bearer);
      this.tokens.delete(origin, merged);
      const token = await this.fetchToken(origin, registry, bearer, merged);
      if (merged.join(" ") !== scopes.join(" ")) this.tokens.set(origin, scopes, token, 60);
      return `Bearer ${token}`;
    }
    if (challenges.some((c) => c.scheme === "basic")) {
      const cred = await this.credential(registry);
      if (!cred || cred.username === undefined || cred.password === undefined) return undefined;
      const header = basicHeader(cred.username, cred.password);
      this.basic.set(origin, header);
      return header;
    }
    if (challenges.length === 0) return undefined;
    throw new OciError(
      "AUTH_FAILED",
      `${registry} asks for unsupported authentication: ${challenges.map((c) => c.scheme).join(", ")}`,
    );
  }

  /** Looked up once per registry: a credential helper is a process start, too slow to run per token. */
  private async credential(registry: string): Promise<Credential | undefined> {
    if (!this.options.credentials) return undefined;
    let found = this.credentials.get(registry);
    if (!found) {
      found = this.options.credentials(registry);
      this.credentials.set(registry, found);
      found.catch(() => this.credentials.delete(registry));
    }
    return found;
  }

  /**
   * Gets a token for the scopes: refresh-token grant (POST) for identity tokens, GET with Basic
   * for a username and password, else anonymous. Rejected credentials fall back to anonymous,
   * which is enough for public repositories.
   */
  private fetchToken(origin: string, registry: string, challenge: Challenge, scopes: string[]): Promise<string> {
    const cached = this.tokens.get(origin, scopes);
    if (cached) return Promise.resolve(cached);
    // Parallel requests (config and layer of one pull) share one token request.
    const key = TokenCache.key(origin, scopes);
    let pending = this.pendingTokens.get(key);
    if (!pending) {
      pending = this.requestToken(origin, registry, challenge, scopes).finally(() => this.pendingTokens.delete(key));
      this.pendingTokens.set(key, pending);
    }
    return pending;
  }

  private async requestToken(
    origin: string,
    registry: string,
    challenge: Challenge,
    scopes: string[],
  ): Promise<string> {
    const realm = new URL(challenge.params.realm!);
    assertTransportAllowed(realm, this.options.transport);
    const service = challenge.params.service;
    const cred = this.rejected.has(registry) ? undefined : await this.credential(registry);
    let res: HttpResponse | undefined;
    if (cred?.identityToken) {
      const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: cred.identityToken });
      form.set("client_id", "wasm-compose");
      if (service) form.set("service", service);
      if (scopes.length) form.set("scope", scopes.join(" "));
      ({ res } = await this.hop(
        realm,
        {
          registry,
          scopes,
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: () => form.toString(),
        },
        undefined,
      ));
    } else if (cred?.username !== undefined && cred.password !== undefined) {
      const url = tokenUrl(realm, service, scopes);
      url.searchParams.set("account", cred.username);
      ({ res } = await this.hop(url, { registry, scopes }, basicHeader(cred.username, cred.password)));
    }
    if (res && (res.status === 401 || res.status === 403)) {
      if (this.options.anonymousFallback === false) {
        await discardBody(res);
        throw new OciError("UNAUTHORIZED", `the token service of ${registry} rejected the credentials`, {
          status: res.status,
        });
      }
      await discardBody(res);
      this.rejected.add(registry);
      this.options.log?.(`credentials for ${registry} rejected by the token service; retrying anonymously`);
      res = undefined;
    }
    res ??= (await this.hop(tokenUrl(realm, service, scopes), { registry, scopes }, undefined)).res;
    if (!res.ok) {
      // The body is not shown: a token service may echo the request, and with it the password or
      // identity token, into a message the CLI prints (and --json repeats).
      await discardBody(res);
      throw new OciError(
        res.status === 401 || res.status === 403 ? "UNAUTHORIZED" : "AUTH_FAILED",
        `token request to ${realm.host}: HTTP ${res.status}`,
        { status: res.status },
      );
    }
    let body: TokenResponse;
    try {
      body = (await res.json()) as TokenResponse;
    } catch {
      throw new OciError("AUTH_FAILED", `token response from ${realm.host} is not JSON`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new OciError("AUTH_FAILED", `token response from ${realm.host} has no token`);
    this.tokens.set(origin, scopes, token, body.expires_in ?? 60);
    return token;
  }

  /**
   * One request, following redirects by hand; Authorization only goes to `url`'s origin, and a
   * request body never leaves it. Returns the last response and the URL that gave it.
   */
  private async hop(
    url: URL,
    opts: SendOptions,
    authorization: string | undefined,
  ): Promise<{ res: HttpResponse; at: URL }> {
    const authOrigin = url.origin;
    const maxRedirects = this.options.maxRedirects ?? 10;
    // Token requests, shared by the requests waiting for them, stop on the client's and the scope's signal only.
    const signal = opts.detached ? opts.signal : anySignal(opts.signal, this.options.signal, scopeSignal());
    signal?.throwIfAborted();
    let current = url;
    let method = opts.method ?? "GET";
    let body = opts.body;
    for (let redirects = 0; ; redirects++) {
      assertTransportAllowed(current, this.options.transport);
      const headers: Record<string, string> = { ...opts.headers };
      if (this.options.userAgent) headers["user-agent"] = this.options.userAgent;
      if (authorization && current.origin === authOrigin) headers.authorization = authorization;
      const target = current;
      const requestMethod = method;
      const requestBody = body;
      const send = () => {
        const b = requestBody?.() ?? undefined;
        const init: BulkRequestInit & { duplex?: "half" } = {
          method: requestMethod,
          headers,
          redirect: "manual",
          ...(signal ? { signal } : {}),
        };
        if (opts.bulk && requestMethod === "GET") init[BULK] = true;
        if (b !== undefined && b !== null) {
          init.body = b;
          if (b instanceof ReadableStream) init.duplex = "half";
        }
        return this.fetchFn(target, init);
      };
      const res =
        opts.retry === false
          ? await send()
          : await withRetry(
              send,
              this.options.retry,
              (reason, delay) =>
                this.options.log?.(
                  `${requestMethod} ${redact(target)}: ${reason}, retrying in ${Math.round(delay)} ms`,
                ),
              signal,
            );
      this.options.log?.(`${requestMethod} ${redact(target)} -> ${res.status}`);
      const location = res.headers.get("location");
      if (opts.followRedirects === false || !isRedirect(res.status) || !location) return { res, at: target };
      await discardBody(res);
      if (redirects >= maxRedirects) {
        throw new OciError("TOO_MANY_REDIRECTS", `more than ${maxRedirects} redirects from ${redact(url)}`);
      }
      current = new URL(location, current);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
      // 307 and 308 keep the body: it may hold a secret (the refresh token of a token request).
      if (body && current.origin !== authOrigin) {
        throw new OciError(
          "INSECURE_REFUSED",
          `refusing to send the body of ${method} ${redact(url)} on to ${current.host}, where a redirect points`,
        );
      }
    }
  }
}

function authElsewhere(url: URL, registry: string): OciError {
  return new OciError(
    "UNAUTHORIZED",
    `${redact(url)}, where ${registry} sent the request, asks for authentication; the credentials of ${registry} are only sent to ${registry}`,
    { status: 401 },
  );
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function tokenUrl(realm: URL, service: string | undefined, scopes: string[]): URL {
  const url = new URL(realm);
  if (service) url.searchParams.set("service", service);
  for (const s of scopes) url.searchParams.append("scope", s);
  return url;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** A URL for logs and messages: no user info, no query (upload states and signed URLs carry secrets). */
export function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? "?…" : ""}`;
}
