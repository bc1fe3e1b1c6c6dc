import type { ColumnMapping } from '../types';

/**
 * Galette's CSV import reads columns by position, in its import model's order; this is the default model
 * (CsvIn::$_default_fields). The statut column holds Galette's status id, kept as the category as written.
 */
export const GALETTE_TEMPLATE_FIELDS = [
  'nom_adh',
  'prenom_adh',
  'ddn_adh',
  'adresse_adh',
  'cp_adh',
  'ville_adh',
  'pays_adh',
  'tel_adh',
  'gsm_adh',
  'email_adh',
  'url_adh',
  'prof_adh',
  'pseudo_adh',
  'societe_adh',
  'login_adh',
  'date_crea_adh',
  'id_statut',
  'info_public_adh',
  'info_adh',
] as const;

const column = (name: (typeof GALETTE_TEMPLATE_FIELDS)[number]): number => GALETTE_TEMPLATE_FIELDS.indexOf(name);

export const GALETTE_TEMPLATE_MAPPING: ColumnMapping = {
  lastName: column('nom_adh'),
  firstName: column('prenom_adh'),
  address: column('adresse_adh'),
  postcode: column('cp_adh'),
  city: column('ville_adh'),
  country: column('pays_adh'),
  phone: column('tel_adh'),
  mobilePhone: column('gsm_adh'),
  email: column('email_adh'),
  organisationName: column('societe_adh'),
  joinedOn: column('date_crea_adh'),
  category: column('id_statut'),
  notes: column('info_adh'),
};
