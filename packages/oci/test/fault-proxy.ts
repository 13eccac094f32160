// A fault-injecting HTTP proxy on loopback in front of the real registry: drops, stalls, 5xx, 429, corrupted and slow bodies.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What to do with one request; `undefined` passes it through untouched. */
export type Fault =
  | { kind: "status"; status: number; retryAfter?: string; body?: string }
  /** Forward, then cut the connection after this many body bytes. */
  | { kind: "drop"; afterBytes: number }
  /** Forward, flipping one byte of the body at this offset. */
  | { kind: "corrupt"; atByte: number }
  /** Forward, waiting this long between body chunks. */
  | { kind: "slow"; delayMs: number }
  /** Forward the request's body upstream, waiting this long between its chunks (a slow upload link). */
  | { kind: "slow-upload"; delayMs: number }
  /**
   * Stop answering, keeping the connection open: at once (the request is read, nothing is sent),
   * or after the response head and this many body bytes.
   */
  | { kind: "stall"; afterBytes?: number }
  /** Serve a tags/list answer in pages of this size with `Link` headers (distribution 2.8 ignores `n`/`last`). */
  | { kind: "paginate"; pageSize: number }
  /** Answer `GET /v2/<name>/referrers/<digest>` as a registry with the API would, from the fallback tag upstream. */
  | { kind: "referrers-api" };

export interface FaultProxy {
  url: string;
  host: string;
  /** Every request seen, as `METHOD path`. */
  log: string[];
  /** Decides the fault of each request; replace it per test. */
  decide: (req: IncomingMessage, index: number) => Fault | undefined;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamUrl: string, address = "127.0.0.1"): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  let count = 0;
  let server: Server;
  const proxy: FaultProxy = {
    url: "",
    host: "",
    log: [],
    decide: () => undefined,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = count++;
    proxy.log.push(`${req.method} ${req.url}`);
    const fault = proxy.decide(req, index);
    if (fault?.kind === "status") {
      req.resume();
      const headers: Record<string, string> = { "content-type": "text/plain" };
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      res.writeHead(fault.status, headers).end(fault.body ?? "injected fault");
      return;
    }
    if (fault?.kind === "stall" && fault.afterBytes === undefined) {
      req.resume();
      return;
    }
    if (fault?.kind === "referrers-api") {
      referrersApi(upstream, req, res);
      return;
    }
    if (fault?.kind === "paginate") {
      paginate(upstream, req, res, fault.pageSize);
      return;
    }
    const up = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (upRes) => {
        const headers = { ...upRes.headers };
        // Keep the client coming back through the proxy.
        if (typeof headers.location === "string")
          headers.location = headers.location.replace(upstream.origin, proxy.url);
        if (typeof headers["www-authenticate"] === "string") {
          headers["www-authenticate"] = headers["www-authenticate"].replace(upstream.origin, proxy.url);
        }
        res.writeHead(upRes.statusCode ?? 502, headers);
        if (fault?.kind === "stall") res.flushHeaders();
        let sent = 0;
        let slowChain: Promise<void> = Promise.resolve();
        upRes.on("data", (chunk: Buffer) => {
          if (fault?.kind === "drop" && sent + chunk.length > fault.afterBytes) {
            res.write(chunk.subarray(0, Math.max(0, fault.afterBytes - sent)));
            upRes.destroy();
            res.socket?.destroy();
            return;
          }
          if (fault?.kind === "stall" && fault.afterBytes !== undefined) {
            if (sent < fault.afterBytes) res.write(chunk.subarray(0, fault.afterBytes - sent));
            sent += chunk.length;
            return;
          }
          if (fault?.kind === "corrupt" && fault.atByte >= sent && fault.atByte < sent + chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[fault.atByte - sent] ^= 0xff;
          }
          sent += chunk.length;
          if (fault?.kind === "slow") {
            const delay = fault.delayMs;
            slowChain = slowChain.then(async () => {
              await new Promise((r) => setTimeout(r, delay));
              res.write(chunk);
            });
            return;
          }
          res.write(chunk);
        });
        upRes.on("end", () => {
          // A stalled answer stays open, unfinished, until the client gives up.
          if (fault?.kind === "stall") return;
          slowChain.then(() => res.end());
        });
      },
    );
    up.on("error", () => res.socket?.destroy());
    if (fault?.kind === "slow-upload") {
      // One chunk at a time, each after a pause; a client that goes away ends the upstream request too.
      const delay = fault.delayMs;
      req.on("data", (chunk: Buffer) => {
        req.pause();
        setTimeout(() => {
          up.write(chunk);
          req.resume();
        }, delay);
      });
      req.on("end", () => setTimeout(() => up.end(), delay));
      req.on("close", () => {
        if (!req.complete) up.destroy();
      });
      return;
    }
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, address, () => r()));
  const { port } = server.address() as AddressInfo;
  proxy.host = `${address}:${port}`;
  proxy.url = `http://${proxy.host}`;
  return proxy;
}

/** Fetches the whole tag list upstream and answers one page of it, linking to the next. */
function paginate(upstream: URL, req: IncomingMessage, res: ServerResponse, pageSize: number): void {
  const url = new URL(req.url ?? "/", "http://proxy");
  const full = new URL(url.pathname, upstream);
  request(full, { headers: { ...req.headers, host: upstream.host } }, (upRes) => {
    const chunks: Buffer[] = [];
    upRes.on("data", (c: Buffer) => chunks.push(c));
    upRes.on("end", () => {
      if (upRes.statusCode !== 200) {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers).end(Buffer.concat(chunks));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { name: string; tags: string[] };
      const all = [...body.tags].sort();
      const last = url.searchParams.get("last");
      const start = last === null ? 0 : all.findIndex((t) => t > last);
      const page = start < 0 ? [] : all.slice(start, start + pageSize);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (start >= 0 && start + pageSize < all.length) {
        headers.link = `<${url.pathname}?n=${pageSize}&last=${encodeURIComponent(page[page.length - 1]!)}>; rel="next"`;
      }
      res.writeHead(200, headers).end(JSON.stringify({ name: body.name, tags: page }));
    });
  })
    .on("error", () => res.socket?.destroy())
    .end();
}

/** Emulates the referrers API over the `sha256-<hex>` index that distribution 2.8 stores as a tag. */
function referrersApi(upstream: URL, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://proxy");
  const m = /^\/v2\/(.+)\/referrers\/(sha256):([a-f0-9]{64})$/.exec(url.pathname);
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const index = new URL(`/v2/${m[1]}/manifests/${m[2]}-${m[3]}`, upstream);
  const headers = { ...req.headers, host: upstream.host, accept: "application/vnd.oci.image.index.v1+json" };
  request(index, { headers }, (upRes) => {
    const chunks: Buffer[] = [];
    upRes.on("data", (c: Buffer) => chunks.push(c));
    upRes.on("end", () => {
      let manifests: { artifactType?: string }[] = [];
      if (upRes.statusCode === 200) manifests = JSON.parse(Buffer.concat(chunks).toString("utf8")).manifests ?? [];
      const type = url.searchParams.get("artifactType");
      const out: Record<string, string> = { "content-type": "application/vnd.oci.image.index.v1+json" };
      if (type) {
        manifests = manifests.filter((d) => d.artifactType === type);
        out["oci-filters-applied"] = "artifactType";
      }
      res
        .writeHead(200, out)
        .end(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests }));
    });
  })
    .on("error", () => res.socket?.destroy())
    .end();
}
