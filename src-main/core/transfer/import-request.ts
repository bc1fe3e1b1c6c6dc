import type { ImportFormat } from '../../contract/transfer';
import { CoreError } from '../errors';
import type { ColumnPreview, ImportParseResult } from '../members/import';
import { ImportError, parseImportFile, previewColumns } from '../members/import';

export interface ImportRequest {
  fileName: string;
  bytes: Uint8Array;
  format: ImportFormat;
  mapping: Record<string, number> | null;
}

/** A file the import cannot read becomes a CoreError with the parser's code, so every face reports it the same way. */
function asCoreError(error: unknown, fileName: string): never {
  if (error instanceof ImportError) {
    const params = Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    throw new CoreError(error.code, `${fileName}: ${error.code} ${JSON.stringify(params)}`, { fileName, ...params });
  }
  throw error;
}

export function parseRequest(request: ImportRequest): ImportParseResult {
  try {
    return parseImportFile(request.bytes, { format: request.format, ...(request.mapping ? { mapping: request.mapping } : {}) });
  } catch (error) {
    return asCoreError(error, request.fileName);
  }
}

export function columnsOf(fileName: string, bytes: Uint8Array): ColumnPreview {
  try {
    return previewColumns(bytes);
  } catch (error) {
    return asCoreError(error, fileName);
  }
}
