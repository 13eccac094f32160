// The AbortSignal of the operation a caller runs (a CLI command), seen by every request made inside it without being passed down.
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Where the scope lives on `globalThis`. The CLI opens a scope around every command without
 * loading this package (most commands never talk to a registry, and loading the client costs
 * their start), so both sides find the one AsyncLocalStorage by this key.
 */
export const ABORT_SCOPE_KEY = Symbol.for("wasm-compose.abort-scope");

function scope(): AsyncLocalStorage<AbortSignal> {
  const global = globalThis as unknown as Record<symbol, AsyncLocalStorage<AbortSignal> | undefined>;
  global[ABORT_SCOPE_KEY] ??= new AsyncLocalStorage<AbortSignal>();
  return global[ABORT_SCOPE_KEY];
}

/**
 * Runs `run` so that every registry request it makes, directly or through calls that take no
 * signal (a manifest fetch, a tag list, a token request), stops when `signal` fires.
 */
export function withAbortSignal<T>(signal: AbortSignal, run: () => T): T {
  return scope().run(signal, run);
}

/** The signal of the innermost {@link withAbortSignal} around the caller, if any. */
export function scopeSignal(): AbortSignal | undefined {
  return scope().getStore();
}

/** One signal that fires when any of the given ones does (undefined when none is given). */
export function anySignal(...signals: (AbortSignal | null | undefined)[]): AbortSignal | undefined {
  const given = [...new Set(signals.filter((s): s is AbortSignal => s != null))];
  return given.length <= 1 ? given[0] : AbortSignal.any(given);
}
