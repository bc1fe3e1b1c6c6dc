import type { HeaderFormatSpec } from './spec';

// Labels of Paheko's default member fields (src/include/data/users_fields_presets.ini) and the "Catégorie"
// column its export appends (src/include/lib/Paheko/Users/Export.php). Associations may rename fields, so
// common variants follow.
export const paheko: HeaderFormatSpec = {
  format: 'paheko',
  columns: {
    memberNumber: ['Numéro de membre', 'Numéro'],
    fullName: ['Nom & prénom', 'Nom et prénom'],
    lastName: ['Nom'],
    firstName: ['Prénom'],
    organisationName: ['Organisation', 'Raison sociale', 'Société'],
    email: ['Adresse E-Mail', 'E-Mail', 'Email', 'Courriel'],
    phone: ['Numéro de téléphone', 'Téléphone'],
    address: ['Adresse postale', 'Adresse'],
    postcode: ['Code postal'],
    city: ['Ville'],
    country: ['Pays'],
    newsletterConsent: ["Inscription à la lettre d'information", "Lettre d'information"],
    joinedOn: ["Date d'inscription"],
    category: ['Catégorie'],
    notes: ['Notes', 'Remarques'],
  },
  signatures: [['Numéro de membre'], ['Nom & prénom']],
  required: [['fullName', 'lastName']],
  viaHelloAsso: false,
};
