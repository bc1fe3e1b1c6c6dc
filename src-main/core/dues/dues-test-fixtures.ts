import type { Core } from '../core';
import { newId } from '../ids';

export interface TestMember {
  categoryId?: string | null;
  firstName?: string;
  lastName?: string;
  organisationName?: string;
  address?: string;
  postcode?: string;
  city?: string;
  country?: string;
  deletedAt?: string | null;
  erasedAt?: string | null;
}

let lastNumber = 0;

/** A member written straight into the table, so the dues tests do not depend on the members service. */
export function insertMember(core: Core, member: TestMember = {}): string {
  const id = newId();
  lastNumber += 1;
  const now = core.clock.now().toISOString();
  core.db
    .prepare(
      `insert into members (id, number, first_name, last_name, organisation_name, address, postcode, city, country, category_id,
         erased_at, created_at, updated_at, deleted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      `T${lastNumber}`,
      member.firstName ?? 'Camille',
      member.lastName ?? `Martin ${lastNumber}`,
      member.organisationName ?? '',
      member.address ?? '',
      member.postcode ?? '',
      member.city ?? '',
      member.country ?? '',
      member.categoryId ?? null,
      member.erasedAt ?? null,
      now,
      now,
      member.deletedAt ?? null,
    );
  return id;
}
