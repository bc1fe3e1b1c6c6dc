import { parseAmountCents } from './amount';
import type { CsvRecord } from './csv-table';
import { parseDate } from './date';
import { parseEmail } from './email';
import { normalizeLabel } from './normalize-label';
import { parsePaymentMethod } from './payment-method';
import type { ColumnMapping, ImportField, ParsedPayment, ParsedRow, RowError, RowErrorCode } from './types';
import { parseYesNo } from './yes-no';

export interface RowLayout {
  mapping: ColumnMapping;
  /** Shown in error params: the header as written, or the field's name where there is no header. */
  columnNames: readonly string[];
  /** Cells each record should have. */
  width: number;
  viaHelloAsso: boolean;
}

// HelloAsso keeps refused, refunded and abandoned payments in its exports; they pay for nothing.
const NOT_COMPLETED = /^(rembours|refus|annul|abandon|en attente|echec|erreur|conteste)/;
// The payments export mixes memberships with ticketing, donations and shop sales.
const MEMBERSHIP_CAMPAIGN = /^(adhesion|membership)/;

function personName(first: string | null, last: string | null): string | null {
  return [first, last].filter((part) => part !== null).join(' ') || null;
}

/** One record to a member and maybe a payment, or every problem found in it. */
export function readRow({ line, cells }: CsvRecord, layout: RowLayout): ParsedRow | RowError[] {
  const { mapping, columnNames, viaHelloAsso } = layout;
  const errors: RowError[] = [];

  const text = (field: ImportField): string | null => {
    const index = mapping[field];
    const value = index === undefined ? '' : (cells[index] ?? '').trim();
    return value === '' ? null : value;
  };
  const fail = (code: RowErrorCode, field: ImportField, value: string): null => {
    const index = mapping[field];
    errors.push({ line, code, params: { column: (index !== undefined && columnNames[index]) || field, value } });
    return null;
  };
  const read = <T>(field: ImportField, parse: (raw: string) => T | null | undefined, code: RowErrorCode): T | null => {
    const raw = text(field);
    return raw === null ? null : (parse(raw) ?? fail(code, field, raw));
  };

  // HelloAsso names the payer on every line and the adherent only on membership lines.
  const payer = personName(text('payerFirstName'), text('payerLastName'));
  const named = text('firstName') !== null || text('lastName') !== null || text('fullName') !== null;
  const firstName = named ? text('firstName') : text('payerFirstName');
  const lastName = named ? (text('lastName') ?? text('fullName')) : text('payerLastName');
  const organisationName = text('organisationName');
  const payerIsMember = payer !== null && normalizeLabel(payer) === normalizeLabel(personName(firstName, lastName) ?? '');
  if (firstName === null && lastName === null && organisationName === null) {
    const nameFields = ['lastName', 'fullName', 'payerLastName', 'firstName'] as const;
    fail('missing_name', nameFields.find((field) => mapping[field] !== undefined) ?? 'lastName', '');
  }

  const campaign = text('campaignType');
  if (campaign !== null && !MEMBERSHIP_CAMPAIGN.test(normalizeLabel(campaign))) {
    fail('not_membership', 'campaignType', campaign);
  }
  const status = text('paymentStatus');
  if (status !== null && NOT_COMPLETED.test(normalizeLabel(status))) fail('payment_not_completed', 'paymentStatus', status);

  const member = {
    memberNumber: text('memberNumber'),
    firstName,
    lastName,
    organisationName,
    // The payer's address only stands for the member's when they are the same person.
    email: read(text('email') === null && payerIsMember ? 'payerEmail' : 'email', parseEmail, 'invalid_email'),
    phone: text('phone') ?? text('mobilePhone'),
    address: [text('address'), text('addressLine2')].filter((part) => part !== null).join('\n') || null,
    postcode: text('postcode'),
    city: text('city'),
    country: text('country'),
    category: text('category'),
    joinedOn: read('joinedOn', parseDate, 'invalid_date'),
    leftOn: read('leftOn', parseDate, 'invalid_date'),
    notes: text('notes'),
    newsletterConsent: read('newsletterConsent', parseYesNo, 'invalid_boolean'),
    newsletterConsentOn: read('newsletterConsentOn', parseDate, 'invalid_date'),
  };

  let payment: ParsedPayment | null = null;
  if (text('amount') !== null) {
    const amountCents = read('amount', parseAmountCents, 'invalid_amount');
    const date = text('paymentDate') === null ? fail('missing_date', 'paymentDate', '') : read('paymentDate', parseDate, 'invalid_date');
    if (amountCents !== null && date !== null) {
      payment = {
        amountCents,
        date,
        method: parsePaymentMethod(text('paymentMethod'), viaHelloAsso),
        reference: text('paymentReference') ?? text('orderReference'),
        orderReference: text('orderReference'),
        payerName: payerIsMember ? null : payer,
      };
    }
  }

  return errors.length > 0 ? errors : { line, member, payment };
}
