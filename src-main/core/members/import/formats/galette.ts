import type { HeaderFormatSpec } from './spec';

// Galette's members export labels its columns with the French translations of its member fields
// (galette/includes/fields_defs/members_fields.php, lang/galette_fr_FR.utf8.php): "Numéro adhérent&nbsp;:".
export const galette: HeaderFormatSpec = {
  format: 'galette',
  columns: {
    memberNumber: ['Numéro adhérent', "Numéro d'adhérent"],
    lastName: ['Nom'],
    firstName: ['Prénom'],
    organisationName: ['Société', 'Raison sociale'],
    address: ['Adresse'],
    addressLine2: ['Adresse (suite)'],
    postcode: ['Code postal'],
    city: ['Ville'],
    country: ['Pays'],
    phone: ['Tél', 'Téléphone'],
    mobilePhone: ['GSM', 'Portable'],
    email: ['Courriel', 'E-Mail', 'Adresse e-mail'],
    category: ['Statut'],
    joinedOn: ['Date de création'],
    notes: ['Autres informations (admin)'],
  },
  signatures: [['Numéro adhérent'], ['Statut', 'Date de création']],
  required: [['lastName']],
  viaHelloAsso: false,
};
