// The one error type of composition: what went wrong (a code) and where in the graph (structured fields).

/** What kind of problem a {@link CompositionError} reports. */
export type CompositionErrorCode =
  /** An argument's type does not fit the import it is given to (`path` names the differing part). */
  | "TYPE_MISMATCH"
  /** An instantiation names an import its component does not have. */
  | "UNKNOWN_IMPORT"
  /** An alias or export names an export the instance does not have. */
  | "UNKNOWN_EXPORT"
  /** An import was given two arguments. */
  | "DUPLICATE_ARGUMENT"
  /** An import has no argument and the instantiation does not allow open imports. */
  | "MISSING_ARGUMENT"
  /** Instances depend on each other in a circle (`cycle` lists them). */
  | "CYCLE"
  /** Two imports of one name (after semver merging) declare the same item differently. */
  | "CONFLICTING_IMPORT"
  /** Two typed import declarations of the composition have one name, or two imports names the same but for case and hyphens. */
  | "DUPLICATE_IMPORT"
  /** Two exports of the composition have one name (or names the same but for case and hyphens). */
  | "DUPLICATE_EXPORT"
  /** An import or export name that is not a valid component name (`Run`, `a b`, `x:y`). */
  | "INVALID_NAME"
  /**
   * An import left open uses a type that an instance inside the composition provides; the
   * component model cannot express that (a component's imports only use imported types).
   */
  | "IMPORT_USES_INSTANCE_TYPE"
  /** `plug`: no import of the socket was satisfied by any plug. */
  | "NOTHING_PLUGGED"
  /** `plug`: more than one plug exports what an import needs. */
  | "AMBIGUOUS_PLUG"
  /** `targets`: the component does not fit the world. */
  | "TARGETS_MISMATCH"
  /** An id or input that does not belong to this graph, or bytes that are not a component. */
  | "INVALID_INPUT"
  /** A construct this implementation does not compose (e.g. a top-level type import). */
  | "UNSUPPORTED";

/** Where in the composition a problem is. Every field is optional; messages repeat them. */
export interface CompositionErrorDetails {
  /** The instance (or component) concerned, by its name in the graph. */
  node?: string;
  /** The import concerned. */
  import?: string;
  /** The export concerned (of the instance that provides an argument, or of the composition). */
  export?: string;
  /** For type mismatches: the path to the differing part, outermost first. */
  path?: string[];
  /** For cycles: the instances in order, the first repeated at the end. */
  cycle?: string[];
  /** For ambiguous plugs and conflicts: the candidates. */
  candidates?: string[];
  /** For `targets`: every problem found. */
  problems?: string[];
}

/** A typed error from building, checking or encoding a composition. */
export class CompositionError extends Error {
  readonly code: CompositionErrorCode;
  readonly details: CompositionErrorDetails;

  constructor(code: CompositionErrorCode, message: string, details: CompositionErrorDetails = {}) {
    super(message);
    this.name = "CompositionError";
    this.code = code;
    this.details = details;
  }
}

/** A type mismatch found by the subtype checker: the path inside the item and the two types. */
export class TypeMismatch extends Error {
  constructor(
    readonly path: string[],
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${path.join(" > ")}: expected ${expected}, found ${found}`);
    this.name = "TypeMismatch";
  }

  /** The same mismatch one level further out. */
  within(segment: string): TypeMismatch {
    return new TypeMismatch([segment, ...this.path], this.expected, this.found);
  }
}
