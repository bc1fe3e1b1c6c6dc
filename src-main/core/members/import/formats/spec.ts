import type { HeaderFormat, ImportField } from '../types';

/** A format recognised by its header row. */
export interface HeaderFormatSpec {
  format: HeaderFormat;
  /** Headers as the software writes them, best first; compared through normalizeLabel. */
  columns: Partial<Record<ImportField, readonly string[]>>;
  /** The format is this one when every header of any one set is present. */
  signatures: ReadonlyArray<readonly string[]>;
  /** Each entry needs a column for at least one of its fields. */
  required: ReadonlyArray<readonly ImportField[]>;
  viaHelloAsso: boolean;
}
