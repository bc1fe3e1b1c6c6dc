import { galette } from './galette';
import { helloassoMembers, helloassoPayments } from './helloasso';
import { paheko } from './paheko';
import type { ImportFormat } from '../types';
import type { HeaderFormatSpec } from './spec';

export { GALETTE_TEMPLATE_FIELDS, GALETTE_TEMPLATE_MAPPING } from './galette-template';
export type { HeaderFormatSpec } from './spec';

/** In detection order: the most specific signatures first. */
export const HEADER_FORMATS: readonly HeaderFormatSpec[] = [helloassoPayments, helloassoMembers, paheko, galette];

export function headerFormatSpec(format: ImportFormat): HeaderFormatSpec | undefined {
  return HEADER_FORMATS.find((spec) => spec.format === format);
}
