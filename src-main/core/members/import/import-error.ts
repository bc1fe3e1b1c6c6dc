import type { ErrorParams, ImportErrorCode } from './types';

/** A file the import cannot read at all. The UI translates `code` and interpolates `params`. */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly params: ErrorParams = {},
  ) {
    super(code);
    this.name = 'ImportError';
  }
}
