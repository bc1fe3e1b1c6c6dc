import type { MemberInput, PeriodRule } from '../src-main/contract';
import { isoNow } from '../src-main/core/clock';
import type { Core } from '../src-main/core/core';
import { computePeriod, formatIsoDate } from '../src-main/core/dues/status';
import { newId } from '../src-main/core/ids';
import { INSERT_MEMBER, memberParams } from '../src-main/core/members/member-record';
import { writeTransaction } from '../src-main/core/db/write-transaction';

/**
 * A realistic, reproducible large association for the benchmarks: French names with accents, ligatures and
 * apostrophes, a few organisations, five categories (one exempt, one on rolling months), and a ledger of yearly
 * renewals ending anywhere from 2019 to next year, with about 2 % of payments reversed.
 * Written with batched SQL in transactions: going through the services would measure the seeding, not the reads.
 */
export interface BenchData {
  members: number;
  payments: number;
  reversals: number;
  categoryIds: string[];
}

const FIRST_NAMES = [
  'Hélène', 'Élodie', 'François', 'Jérôme', 'Zoé', 'Anaïs', 'Léa', 'Noël', 'Cécile', 'Benoît', 'Gaëlle', 'Loïc',
  'Chloé', 'Raphaël', 'Maëlle', 'Clément', 'Inès', 'Jean', 'Marie', 'Pierre', 'Sophie', 'Thomas', 'Camille',
  'Lucas', 'Manon', 'Hugo', 'Emma', 'Louis', 'Juliette', 'Nathan', 'Océane', 'Théo', 'Agnès', 'Joël', 'Hervé',
  'Françoise', 'Aurélien', 'Séverine', 'Stéphane', 'Irène', 'Mathéo', 'Rémi', 'Valérie', 'Gérard', 'Ève', 'Yaël',
];
const LAST_NAMES = [
  'Dupont', 'Lefèvre', 'Lemaître', 'Béranger', 'Chevalier', 'Dubœuf', "D’Ornano", "d'Artagnan", 'Bénard',
  'Girard', 'Martin', 'Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Fournier', 'Lefèbvre', 'Mercier',
  'Rousseau', 'Faure', 'André', 'Gauthier', 'Hélias', 'Le Goff', 'Le Gall', 'Kerhervé', 'Ménard', 'Périer',
  'Brochard', 'Caillé', 'Château', 'Pâris', 'Noël', 'Lætitia-Roux', 'Guérin', 'Barbé', 'Rivière', 'Lécuyer',
  'Vérité', 'Ségur', 'Thébault', 'Prévost', 'Bézier', 'Aubé', 'Daguerre', 'Hénault', 'Jégou', 'Quéré', 'Renée',
];
const CITIES: [string, string][] = [
  ['Rennes', '35000'], ['Nantes', '44000'], ['Besançon', '25000'], ['Saint-Étienne', '42000'], ['Orléans', '45000'],
  ['Nîmes', '30000'], ['Béziers', '34500'], ['Quimper', '29000'], ['Brest', '29200'], ['Lorient', '56100'],
  ['Vannes', '56000'], ['Saint-Brieuc', '22000'], ['Angers', '49000'], ['Le Mans', '72000'], ['Tours', '37000'],
  ['Évreux', '27000'], ['Alençon', '61000'], ['Fougères', '35300'], ['Vitré', '35500'], ['Redon', '35600'],
  ['Lyon', '69001'], ['Paris', '75011'], ['Montréal-la-Cluse', '01460'], ['Pontivy', '56300'], ['Dinan', '22100'],
];
const ORGANISATIONS = ['Association', 'Collectif', 'Amicale', 'Coopérative', 'Café associatif', 'Ligue'];

/** mulberry32: a seeded generator, so every run measures the same data. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

interface BenchCategory {
  id: string;
  name: string;
  fee: { kind: 'fixed' | 'exempt' | 'pay_what_you_want'; cents: number | null };
  period: PeriodRule | null;
}

export function seedBenchData(core: Core, options: { members?: number; payments?: number; seed?: number } = {}): BenchData {
  const memberCount = options.members ?? 100_000;
  const paymentCount = options.payments ?? 500_000;
  const next = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const now = isoNow(core.clock);
  const { fiscalYearStartMonth, duesPeriod } = core.settings.get();

  const categories: BenchCategory[] = [
    { id: newId(), name: 'Adhésion individuelle', fee: { kind: 'fixed', cents: 2000 }, period: null },
    { id: newId(), name: 'Tarif réduit', fee: { kind: 'pay_what_you_want', cents: 500 }, period: null },
    { id: newId(), name: 'Soutien', fee: { kind: 'fixed', cents: 5000 }, period: { kind: 'rolling_months', months: 12 } },
    { id: newId(), name: 'Association membre', fee: { kind: 'fixed', cents: 10000 }, period: null },
    { id: newId(), name: "Membre d'honneur", fee: { kind: 'exempt', cents: null }, period: null },
  ];
  const insertCategory = core.db.prepare(
    `insert into categories (id, name, fee_kind, fee_cents, period_kind, period_months, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = core.db.prepare(INSERT_MEMBER);
  const insertPayment = core.db.prepare(
    `insert into payments (id, member_id, amount_cents, paid_on, method, reference, period_start, period_end,
       reverses_payment_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  writeTransaction(core.db, () => {
    for (const c of categories) {
      const months = c.period?.kind === 'rolling_months' ? c.period.months : null;
      insertCategory.run(c.id, c.name, c.fee.kind, c.fee.cents, c.period?.kind ?? null, months, now, now);
    }
  });

  // Payment rows per member average paymentCount / memberCount: pairs of members get avg + d and avg - d.
  const average = paymentCount / memberCount;
  let payments = 0;
  let reversals = 0;
  let spread = 0;
  const BATCH = 5_000;
  for (let start = 0; start < memberCount; start += BATCH) {
    writeTransaction(core.db, () => {
      for (let i = start; i < Math.min(start + BATCH, memberCount); i++) {
        const category = i % 50 === 0 ? categories[3]! : i % 97 === 0 ? categories[4]! : pick(categories.slice(0, 3));
        const [city, postcode] = pick(CITIES);
        const firstName = pick(FIRST_NAMES);
        const lastName = pick(LAST_NAMES);
        const isOrganisation = category === categories[3];
        const member: MemberInput = {
          number: String(i + 1),
          firstName: isOrganisation ? '' : firstName,
          lastName: isOrganisation ? '' : lastName,
          organisationName: isOrganisation ? `${pick(ORGANISATIONS)} ${lastName} de ${city}` : '',
          email: next() < 0.1 ? '' : `${ascii(firstName)}.${ascii(lastName)}${i}@${next() < 0.5 ? 'exemple.fr' : 'Courriel.ORG'}`,
          phone: '',
          address: `${1 + Math.floor(next() * 120)} rue ${pick(LAST_NAMES)}`,
          postcode,
          city,
          country: 'France',
          categoryId: category.id,
          joinedOn: formatIsoDate({ year: 2012 + Math.floor(next() * 14), month: 1 + Math.floor(next() * 12), day: 1 }),
          leftOn: null,
          notes: '',
          newsletterConsent: next() < 0.4,
          newsletterConsentOn: null,
        };
        const memberId = newId();
        insertMember.run({ id: memberId, ...memberParams(member), created_at: now, updated_at: now });

        if (i % 2 === 0) spread = Math.floor(next() * (average + 1));
        const rows = Math.max(0, Math.round(i % 2 === 0 ? average + spread : average - spread));
        const lastYear = 2019 + Math.floor(next() * 9); // 2019…2027: lapsed, late, up to date and paid ahead
        let previous: string | null = null;
        for (let k = 0; k < rows && payments < paymentCount; k++) {
          payments++;
          const id = newId();
          if (previous !== null && next() < 0.02) {
            insertPayment.run(id, memberId, -(category.fee.cents ?? 0), `${lastYear}-02-01`, 'transfer', '', null, null, previous, now);
            reversals++;
            previous = null;
            continue;
          }
          const year = lastYear - (rows - 1 - k);
          const paidOn = formatIsoDate({ year, month: 1 + Math.floor(next() * 12), day: 1 + Math.floor(next() * 28) });
          const period = computePeriod(category.period ?? duesPeriod, paidOn, fiscalYearStartMonth);
          insertPayment.run(id, memberId, category.fee.cents ?? 0, paidOn, pick(['cash', 'cheque', 'transfer', 'helloasso']), '',
            period.periodStart, period.periodEnd, null, now);
          previous = id;
        }
      }
    });
  }
  return { members: memberCount, payments, reversals, categoryIds: categories.map((c) => c.id) };
}
