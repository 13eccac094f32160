// WIT loading for the commands: `.wit` text and binary WIT packages (`.wasm`), in deps/ or as the path.
import { witPackageSources } from "@wasm-compose/component";
import { type LoadOptions, loadWitPackage as loadWitText, type ResolvedPackage } from "@wasm-compose/wit";

/** `loadWitPackage` from @wasm-compose/wit with the binary WIT package decoder plugged in. */
export function loadWitPackage(path: string, opts: LoadOptions = {}): Promise<ResolvedPackage> {
  return loadWitText(path, { binaryPackage: witPackageSources, ...opts });
}
