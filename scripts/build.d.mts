// Types of scripts/build.mjs, for the tests that import it.

/** Each package's entry points (files in dist/, without `.js`). */
export declare const entries: Record<string, string[]>;
/** Bundles the compiled packages (dist/ must be current). */
export declare function bundle(): Promise<void>;
/** `tsc -b`, then the bundles. */
export declare function buildAll(): Promise<void>;
