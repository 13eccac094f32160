// Retries with exponential backoff for 408, 429 (Retry-After honoured), 5xx and dropped connections.
import { OciError } from "./errors.js";
import { discardBody, type HttpResponse } from "./http.js";

/** How requests are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  attempts?: number;
  /** First backoff in ms (default 200); doubles per attempt, with jitter. */
  baseDelayMs?: number;
  /** Longest wait in ms, Retry-After included (default 10 s). */
  maxDelayMs?: number;
  /** Replaced in tests to avoid waiting. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUS.has(status);
}

/** Parses Retry-After (seconds or an HTTP date) into ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function backoffMs(attempt: number, policy: RetryPolicy, retryAfter?: number): number {
  const max = policy.maxDelayMs ?? 10_000;
  if (retryAfter !== undefined) return Math.min(retryAfter, max);
  const base = (policy.baseDelayMs ?? 200) * 2 ** attempt;
  return Math.min(max, base / 2 + Math.random() * (base / 2));
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits `ms`, or rejects as soon as `signal` fires. */
function sleepUnless(sleep: (ms: number) => Promise<void>, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    sleep(ms).then(
      () => {
        signal.removeEventListener("abort", abort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(err);
      },
    );
  });
}

/** Socket error codes of a failed or dropped connection (a body stream cut short reports ECONNRESET). */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

/**
 * True for errors fetch or node:http raise when the connection fails or drops, and for our own
 * NETWORK_ERROR and TIMEOUT (a registry that stopped answering may answer the next connection).
 */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof OciError) return err.code === "NETWORK_ERROR" || err.code === "TIMEOUT";
  if (!(err instanceof Error)) return false;
  if (err.name === "AbortError") return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return (
    err instanceof TypeError ||
    /ECONNRESET|ECONNREFUSED|EPIPE|socket|terminated|other side closed/i.test(String(err.message))
  );
}

/**
 * Runs `send` until it gives a response that is not retryable, or attempts run out. A retryable
 * response that is not retried any more is returned as is, for the caller's error handling.
 */
export async function withRetry(
  send: () => Promise<HttpResponse>,
  policy: RetryPolicy = {},
  onRetry?: (reason: string, delayMs: number) => void,
  /** Stops the waits between attempts. */
  signal?: AbortSignal,
): Promise<HttpResponse> {
  const attempts = Math.max(1, policy.attempts ?? 4);
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    const last = attempt === attempts - 1;
    let res: HttpResponse;
    try {
      res = await send();
    } catch (err) {
      if (last || !isNetworkError(err)) {
        if (isNetworkError(err) && !(err instanceof OciError)) {
          const cause = (err as Error & { cause?: unknown }).cause;
          const why = cause instanceof Error ? cause.message : (err as Error).message;
          throw new OciError("NETWORK_ERROR", `network error: ${why}`, { cause: err });
        }
        throw err;
      }
      const delay = backoffMs(attempt, policy);
      onRetry?.(`network error: ${(err as Error).message}`, delay);
      await sleepUnless(sleep, delay, signal);
      continue;
    }
    if (last || !isRetryableStatus(res.status)) return res;
    const delay = backoffMs(attempt, policy, retryAfterMs(res.headers.get("retry-after")));
    await discardBody(res);
    onRetry?.(`HTTP ${res.status}`, delay);
    await sleepUnless(sleep, delay, signal);
  }
}
