// WIT loading for the commands: `.wit` text and binary WIT packages (`.wasm`), in deps/ or as the path.
import { witPackageSources } from "@wasm-compose/component";
import { type LoadOptions, loadWitPackage as loadWitText, type ResolvedPackage } from "@wasm-compose/wit";
import { inFile } from "./files.js";

/** `loadWitPackage` from @wasm-compose/wit with the binary WIT package decoder plugged in. */
export function loadWitPackage(path: string, opts: LoadOptions = {}): Promise<ResolvedPackage> {
  // A binary format error names the package file it was found in.
  const binaryPackage = (bytes: Uint8Array, file: string) => inFile(file, () => witPackageSources(bytes));
  return loadWitText(path, { binaryPackage, ...opts });
}
