// Cache of bearer tokens keyed by registry host and the (merged, sorted) scopes they were issued for.

interface Entry {
  token: string;
  expiresAt: number;
}

/** Tokens by host and scope. A token for `pull,push` is not reused for a bare `pull` key: keys are exact. */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  static key(host: string, scopes: readonly string[]): string {
    return `${host}|${[...scopes].sort().join(" ")}`;
  }

  get(host: string, scopes: readonly string[]): string | undefined {
    const key = TokenCache.key(host, scopes);
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.token;
  }

  /** Stores a token; `expiresIn` in seconds (the spec's default is 60), kept with a 10 s margin. */
  set(host: string, scopes: readonly string[], token: string, expiresIn = 60): void {
    const ttl = Math.max(1, expiresIn - 10) * 1000;
    this.entries.set(TokenCache.key(host, scopes), { token, expiresAt: this.now() + ttl });
  }

  delete(host: string, scopes: readonly string[]): void {
    this.entries.delete(TokenCache.key(host, scopes));
  }

  clear(): void {
    this.entries.clear();
  }
}
