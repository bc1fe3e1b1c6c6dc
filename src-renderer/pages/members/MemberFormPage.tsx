import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { DuplicateMatch, Member, MemberInput } from '../../../src-main/contract';
import { EMPTY_MEMBER_INPUT, memberInputSchema } from '../../../src-main/contract/members';
import { call } from '../../api/client';
import { toastError } from '../../api/errors';
import { FormField } from '../../components/members/FormField';
import { todayIso } from '../../components/members/format';
import { fieldMessages } from '../../components/members/validation';
import { useMembersStore } from '../../stores/members-store';
import { useToastStore } from '../../stores/toast-store';
import '../../styles/members.css';
import { DuplicatePanel } from './DuplicatePanel';
import { BackLink } from '../../components/BackLink';

/** Pause after typing before asking the core whether this member already exists. */
const DUPLICATE_CHECK_DELAY_MS = 400;
/** Fields whose change may reveal a duplicate (same email, or same name and postcode). */
const IDENTITY_FIELDS = new Set<keyof MemberInput>(['email', 'firstName', 'lastName', 'organisationName', 'postcode']);
/** The keys of the contract's refine rules, by the field they report on. */
const RULES = { lastName: 'members.validation.nameRequired', leftOn: 'members.validation.leftBeforeJoined' };

const EMPTY: MemberInput = EMPTY_MEMBER_INPUT;

const inputOf = (member: Member): MemberInput => {
  const input = { ...EMPTY };
  for (const key of Object.keys(EMPTY) as (keyof MemberInput)[]) Object.assign(input, { [key]: member[key] });
  return input;
};

const isMatches = (value: unknown): value is DuplicateMatch[] => Array.isArray(value);

/** Create (/members/new) or edit (/members/:id/edit): a fresh form for each, never one left over from the other. */
export function MemberFormPage() {
  const { id } = useParams();
  return <MemberForm key={id ?? 'new'} id={id ?? null} />;
}

function MemberForm({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const push = useToastStore((s) => s.push);
  const categories = useMembersStore((s) => s.categories);
  const loadCategories = useMembersStore((s) => s.loadCategories);
  const [draft, setDraft] = useState<MemberInput | null>(null);
  const [legalPerson, setLegalPerson] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  /** Found while typing: a hint. */
  const [likely, setLikely] = useState<DuplicateMatch[]>([]);
  /** A number the core said belongs to another member. */
  const [takenNumber, setTakenNumber] = useState<string | null>(null);
  /** Returned by the core on save: must be confirmed. */
  const [refused, setRefused] = useState<DuplicateMatch[] | null>(null);
  /** The latest valid identity typed, checked for duplicates once typing pauses. */
  const [probe, setProbe] = useState<MemberInput | null>(null);

  useEffect(() => {
    if (!probe) return;
    const timer = window.setTimeout(() => {
      void call('members.findDuplicates', { member: probe, excludeId: id }).then((result) => {
        if (result.ok) setLikely(result.value);
      });
    }, DUPLICATE_CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [probe, id]);

  useEffect(() => {
    void loadCategories();
    if (id) {
      void call('members.get', { id }).then((result) => {
        if (!result.ok) return toastError(result.error);
        setDraft(inputOf(result.value.member));
        setLegalPerson(result.value.member.organisationName !== '');
      });
    } else {
      void call('members.nextNumber', {}).then((result) => {
        if (!result.ok) toastError(result.error);
        setDraft({ ...EMPTY, number: result.ok ? result.value : '' });
      });
    }
  }, [id, loadCategories]);

  if (!draft) return <div className="loading">{t('common.loading')}</div>;

  // A natural person has no organisation name; a legal person's first and last names are its contact's.
  const member = legalPerson ? draft : { ...draft, organisationName: '' };
  // The contract's own schema validates the form: one rule for the UI and the core.
  const check = memberInputSchema.safeParse(member);
  const messages = fieldMessages(check.error, RULES);
  if (legalPerson && messages.lastName?.key === RULES.lastName) {
    messages.organisationName = messages.lastName;
    delete messages.lastName;
  }
  if (takenNumber !== null && draft.number.trim() === takenNumber) {
    messages.number = { key: 'members.validation.numberTaken', params: { number: takenNumber } };
  }
  const errorOf = (field: keyof MemberInput): string | null => {
    const message = messages[field];
    return message && (submitted || touched.has(field)) ? t(message.key, message.params) : null;
  };

  function set<K extends keyof MemberInput>(key: K, value: MemberInput[K]) {
    if (!draft) return;
    const next = { ...draft, [key]: value };
    setDraft(next);
    setRefused(null);
    if (IDENTITY_FIELDS.has(key)) {
      const parsed = memberInputSchema.safeParse(legalPerson ? next : { ...next, organisationName: '' });
      if (parsed.success) setProbe(parsed.data);
    }
  }

  const touch = (field: string) => setTouched((before) => new Set(before).add(field));

  async function save(allowDuplicate: boolean) {
    setSubmitted(true);
    if (!check.success) return;
    setSaving(true);
    const result = id
      ? await call('members.update', { id, member: check.data, allowDuplicate })
      : await call('members.create', { member: check.data, allowDuplicate });
    setSaving(false);
    if (result.ok) {
      push({ kind: 'success', title: t(id ? 'members.form.saved' : 'members.form.created') });
      void navigate(`/members/${result.value.id}`);
      return;
    }
    const matches = result.error.details?.matches;
    if (result.error.code === 'possible_duplicate' && isMatches(matches)) setRefused(matches);
    else if (result.error.code === 'member_number_taken') setTakenNumber(check.data.number);
    else toastError(result.error);
  }

  /** Props shared by every text input bound to a string field. */
  const text = (field: 'number' | 'firstName' | 'lastName' | 'organisationName' | 'email' | 'phone' | 'postcode' | 'city' | 'country') => ({
    id: field,
    value: draft[field],
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
    onBlur: () => touch(field),
    'aria-invalid': errorOf(field) !== null,
  });
  const date = (field: 'joinedOn' | 'leftOn' | 'newsletterConsentOn') => ({
    id: field,
    type: 'date',
    value: draft[field] ?? '',
    onChange: (e: { target: { value: string } }) => set(field, e.target.value === '' ? null : e.target.value),
    onBlur: () => touch(field),
    'aria-invalid': errorOf(field) !== null,
  });
  const label = (field: string) => t(`members.fields.${field}`);
  const back = id ? `/members/${id}` : '/members';

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <BackLink to={back} label={t(id ? 'members.form.backToMember' : 'members.form.backToList')} />
          <h1>{t(id ? 'members.form.editTitle' : 'members.form.newTitle')}</h1>
        </div>
      </header>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
        noValidate
      >
        <section className="card">
          <h2 className="card-title">{t('members.form.identity')}</h2>
          <div className="form-grid">
            <FormField id="number" label={label('number')} error={errorOf('number')}>
              <input {...text('number')} />
            </FormField>
            <div className="field field-toggle">
              <label className="check">
                <input type="checkbox" checked={legalPerson} onChange={(e) => setLegalPerson(e.target.checked)} data-testid="legal-person" />
                {t('members.form.legalPerson')}
              </label>
              <div className="field-hint">{t('members.form.legalPersonHint')}</div>
            </div>
            {legalPerson ? (
              <FormField id="organisationName" label={label('organisationName')} error={errorOf('organisationName')} wide>
                <input {...text('organisationName')} />
              </FormField>
            ) : null}
            <FormField id="firstName" label={t(legalPerson ? 'members.form.contactFirstName' : 'members.fields.firstName')}>
              <input {...text('firstName')} autoFocus={!id} />
            </FormField>
            <FormField id="lastName" label={t(legalPerson ? 'members.form.contactLastName' : 'members.fields.lastName')} error={errorOf('lastName')}>
              <input {...text('lastName')} />
            </FormField>
            <FormField id="email" label={label('email')} error={errorOf('email')}>
              <input {...text('email')} type="email" autoComplete="off" />
            </FormField>
            <FormField id="phone" label={label('phone')} error={errorOf('phone')}>
              <input {...text('phone')} type="tel" autoComplete="off" />
            </FormField>
          </div>
        </section>
        {likely.length > 0 && !refused ? (
          <DuplicatePanel matches={likely} title={t('members.duplicates.likelyTitle', { count: likely.length })} />
        ) : null}
        <section className="card">
          <h2 className="card-title">{t('members.form.address')}</h2>
          <div className="form-grid">
            <FormField id="address" label={label('address')} error={errorOf('address')} wide>
              <textarea
                id="address"
                rows={2}
                value={draft.address}
                onChange={(e) => set('address', e.target.value)}
                onBlur={() => touch('address')}
              />
            </FormField>
            <FormField id="postcode" label={label('postcode')} error={errorOf('postcode')}>
              <input {...text('postcode')} />
            </FormField>
            <FormField id="city" label={label('city')} error={errorOf('city')}>
              <input {...text('city')} />
            </FormField>
            <FormField id="country" label={label('country')} error={errorOf('country')}>
              <input {...text('country')} />
            </FormField>
          </div>
        </section>
        <section className="card">
          <h2 className="card-title">{t('members.form.membership')}</h2>
          <div className="form-grid">
            <FormField id="categoryId" label={label('categoryId')} hint={t('members.form.categoryHint')}>
              <select id="categoryId" value={draft.categoryId ?? ''} onChange={(e) => set('categoryId', e.target.value === '' ? null : e.target.value)}>
                <option value="">{t('members.form.noCategory')}</option>
                {categories.map((category) => (
                  <option key={category.id} value={category.id}>
                    {category.name}
                  </option>
                ))}
              </select>
            </FormField>
            <div />
            <FormField id="joinedOn" label={label('joinedOn')} error={errorOf('joinedOn')}>
              <input {...date('joinedOn')} />
            </FormField>
            <FormField id="leftOn" label={label('leftOn')} error={errorOf('leftOn')}>
              <input {...date('leftOn')} />
            </FormField>
            <div className="field field-toggle">
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.newsletterConsent}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      newsletterConsent: e.target.checked,
                      newsletterConsentOn: e.target.checked ? (draft.newsletterConsentOn ?? todayIso()) : null,
                    })
                  }
                  data-testid="newsletter-consent"
                />
                {t('members.fields.newsletterConsent')}
              </label>
              <div className="field-hint">{t('members.form.newsletterHint')}</div>
            </div>
            {draft.newsletterConsent ? (
              <FormField id="newsletterConsentOn" label={label('newsletterConsentOn')} error={errorOf('newsletterConsentOn')}>
                <input {...date('newsletterConsentOn')} />
              </FormField>
            ) : null}
            <FormField id="notes" label={label('notes')} error={errorOf('notes')} wide>
              <textarea id="notes" rows={3} value={draft.notes} onChange={(e) => set('notes', e.target.value)} onBlur={() => touch('notes')} />
            </FormField>
          </div>
        </section>
        {refused ? (
          <DuplicateConfirm matches={refused} saving={saving} editing={id !== null} onConfirm={() => void save(true)} onCancel={() => setRefused(null)} />
        ) : (
          <div className="actions">
            <Link className="button" to={back}>
              {t('common.cancel')}
            </Link>
            <button className="button primary" type="submit" disabled={saving || (submitted && !check.success)} data-testid="member-save">
              {t(id ? 'common.save' : 'members.form.create')}
            </button>
          </div>
        )}
      </form>
    </div>
  );
}

function DuplicateConfirm({
  matches,
  saving,
  editing,
  onConfirm,
  onCancel,
}: {
  matches: DuplicateMatch[];
  saving: boolean;
  editing: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <DuplicatePanel matches={matches} title={t('members.duplicates.refusedTitle', { count: matches.length })}>
      <p className="notice-text">{t('members.duplicates.refusedText')}</p>
      <div className="actions">
        <button className="button" type="button" onClick={onCancel} data-testid="duplicate-cancel">
          {t('common.cancel')}
        </button>
        <button className="button primary" type="button" onClick={onConfirm} disabled={saving} data-testid="duplicate-confirm">
          {t(editing ? 'members.duplicates.saveAnyway' : 'members.duplicates.createAnyway')}
        </button>
      </div>
    </DuplicatePanel>
  );
}
