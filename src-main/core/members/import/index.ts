export { ImportError } from './import-error';
export { parseImportFile, previewColumns } from './parse-import-file';
export { IMPORT_FIELDS } from './types';
export type * from './types';
