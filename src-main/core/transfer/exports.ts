import type { DuesStatus, PaymentMethod } from '../../contract/dues';
import type { FilePayload } from '../../contract/fields';
import type { Member } from '../../contract/members';
import type { MemberDbRow } from '../members/member-record';
import { toMember } from '../members/member-record';
import type { MemberSearchArgs } from '../members/member-search';
import { searchMembers } from '../members/member-search';
import { isoToday } from '../clock';
import type { Core } from '../core';
import { paheko } from '../members/import/formats/paheko';
import { frenchAmount, frenchCsv, frenchDate } from './csv-writer';

export type ExportKind = 'members' | 'payments' | 'paheko';

// These files are French spreadsheets by design (French headers, dates and decimal commas), like the Paheko and
// HelloAsso files they sit next to; their words are part of the file format, not of the UI.
const STATUS_FR: Record<DuesStatus, string> = {
  exempt: 'exonéré', never: 'jamais payé', up_to_date: 'à jour', expiring: 'expire bientôt', grace: 'période de grâce',
  late: 'en retard', lapsed: 'expiré',
};
const METHOD_FR: Record<PaymentMethod, string> = {
  cash: 'espèces', cheque: 'chèque', transfer: 'virement', card: 'carte', helloasso: 'HelloAsso', other: 'autre',
};

const ALL_LIVE: MemberSearchArgs = {
  query: '', categoryId: null, statuses: [], includeDeleted: false, sort: 'number', direction: 'asc', offset: 0,
  limit: Number.MAX_SAFE_INTEGER,
};

function liveMembers(core: Core): (Member & { category: string })[] {
  const rows = core.db
    .prepare(
      `select m.*, coalesce(c.name, '') as category from members m left join categories c on c.id = m.category_id
       where m.deleted_at is null order by cast(m.number as integer), m.number`,
    )
    .all() as (MemberDbRow & { category: string })[];
  return rows.map((row) => ({ ...toMember(row), category: row.category }));
}

function membersCsv(core: Core, today: string): string {
  const statuses = new Map(searchMembers(core, ALL_LIVE, today).rows.map((r) => [r.id, r]));
  const header = [
    'Numéro', 'Nom', 'Prénom', 'Organisation', 'Email', 'Téléphone', 'Adresse', 'Code postal', 'Ville', 'Pays',
    'Catégorie', "Date d'adhésion", 'Date de départ', 'Cotisation', "Payée jusqu'au", 'Lettre d’information', 'Notes',
  ];
  const rows = liveMembers(core).map((m) => {
    const status = statuses.get(m.id);
    return [
      m.number, m.lastName, m.firstName, m.organisationName, m.email, m.phone, m.address, m.postcode, m.city,
      m.country, m.category, frenchDate(m.joinedOn), frenchDate(m.leftOn), status ? STATUS_FR[status.status] : '',
      frenchDate(status?.paidUntil ?? null), m.newsletterConsent ? 'oui' : 'non', m.notes,
    ];
  });
  return frenchCsv(header, rows);
}

/** Paheko's own default column labels, so its import maps every column without help. */
function pahekoCsv(core: Core): string {
  const label = (field: keyof typeof paheko.columns): string => paheko.columns[field]?.[0] ?? field;
  const header = [
    label('memberNumber'), label('fullName'), label('email'), label('phone'), label('address'), label('postcode'),
    label('city'), label('country'), label('newsletterConsent'), label('joinedOn'), label('category'),
  ];
  const rows = liveMembers(core).map((m) => [
    m.number,
    m.organisationName || [m.lastName, m.firstName].filter(Boolean).join(' '),
    m.email, m.phone, m.address, m.postcode, m.city, m.country, m.newsletterConsent ? 'Oui' : 'Non',
    frenchDate(m.joinedOn), m.category,
  ]);
  return frenchCsv(header, rows);
}

function paymentsCsv(core: Core): string {
  const header = [
    'Date', 'Numéro adhérent', 'Adhérent', 'Montant', 'Moyen de paiement', 'Référence', 'Début de période',
    'Fin de période', 'Annule le paiement du', 'Payeur', 'Notes',
  ];
  const rows = (
    core.db
      .prepare(
        `select p.*, m.number, trim(m.organisation_name || ' ' || m.first_name || ' ' || m.last_name) as name,
                r.paid_on as reversed_paid_on
         from payments p join members m on m.id = p.member_id left join payments r on r.id = p.reverses_payment_id
         order by p.paid_on, p.created_at`,
      )
      .all() as {
      paid_on: string; number: string; name: string; amount_cents: number; method: PaymentMethod; reference: string;
      period_start: string | null; period_end: string | null; reversed_paid_on: string | null; payer_name: string; notes: string;
    }[]
  ).map((p) => [
    frenchDate(p.paid_on), p.number, p.name, frenchAmount(p.amount_cents), METHOD_FR[p.method], p.reference,
    frenchDate(p.period_start), frenchDate(p.period_end), frenchDate(p.reversed_paid_on), p.payer_name, p.notes,
  ]);
  return frenchCsv(header, rows);
}

export function exportCsv(core: Core, kind: ExportKind): FilePayload {
  const today = isoToday(core.clock);
  const text = kind === 'members' ? membersCsv(core, today) : kind === 'paheko' ? pahekoCsv(core) : paymentsCsv(core);
  const names: Record<ExportKind, string> = { members: 'adherents', payments: 'paiements', paheko: 'adherents-paheko' };
  return { fileName: `${names[kind]}-${today}.csv`, mimeType: 'text/csv', base64: Buffer.from(text, 'utf8').toString('base64') };
}
