// Public API of @wasm-compose/component: reading and writing component binaries.

export { printComponentWit } from "./decode/print.js";
export {
  type ComponentWorld,
  componentWorld,
  type DecodeWitPackageOptions,
  decodeWitPackage,
  isWitPackage,
  type WitPackage,
  witPackageSources,
} from "./decode/world.js";
export { ComponentWitWriter, encodeWitPackage, type WrittenItem } from "./encode/wit-package.js";
export { ComponentError, type ComponentErrorCode } from "./errors.js";
export {
  type ComponentFromModuleOptions,
  componentFromModule,
  embedWit,
  type WitInput,
} from "./from-module.js";
export {
  encodeProducers,
  type Metadata,
  type MetadataChanges,
  type Producers,
  readMetadata,
  TEXT_FIELDS,
  type TextField,
  writeMetadata,
} from "./metadata.js";
export { externNameProblem, NOT_STRONGLY_UNIQUE, StrongNames } from "./names.js";
export type * from "./reader/model.js";
export {
  type BinaryKind,
  binaryKind,
  type CoreModuleInterface,
  classifyName,
  parseComponent,
  parseCoreModuleInterface,
} from "./reader/read.js";
export { COMPONENT_PREAMBLE, ComponentBuilder } from "./writer/builder.js";
export { ByteWriter } from "./writer/bytes.js";
export type { InstanceInput, TypeDeclInput, TypeDefInput } from "./writer/encode.js";
