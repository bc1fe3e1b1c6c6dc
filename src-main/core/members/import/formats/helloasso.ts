import type { HeaderFormatSpec } from './spec';

// Columns of both exports. The adherent's contact details come from the form's own questions, whose labels
// each association chooses, hence the variants.
const common = {
  email: ['Email', 'E-mail', 'Adresse email', 'Email adhérent', 'Courriel'],
  phone: ['Téléphone', 'Numéro de téléphone', 'Tel'],
  address: ['Adresse'],
  postcode: ['Code postal'],
  city: ['Ville'],
  country: ['Pays'],
  organisationName: ['Raison sociale'],
  payerLastName: ['Nom payeur'],
  payerFirstName: ['Prénom payeur'],
  payerEmail: ['Email payeur'],
  paymentMethod: ['Moyen de paiement'],
} as const;

/** "Export des adhésions": one line per membership, the adherent distinct from the payer. */
export const helloassoMembers: HeaderFormatSpec = {
  format: 'helloasso-members',
  columns: {
    ...common,
    orderReference: ['Référence commande', 'Numéro de commande'],
    paymentDate: ['Date de la commande'],
    paymentStatus: ['Statut de la commande'],
    lastName: ['Nom adhérent'],
    firstName: ['Prénom adhérent'],
    category: ['Tarif'],
    amount: ['Montant tarif', 'Montant'],
  },
  signatures: [['Référence commande', 'Date de la commande']],
  required: [['lastName'], ['firstName']],
  viaHelloAsso: true,
};

/** "Export des paiements": one line per payment; only the payer is named unless a beneficiary column exists. */
export const helloassoPayments: HeaderFormatSpec = {
  format: 'helloasso-payments',
  columns: {
    ...common,
    orderReference: ['Référence commande'],
    paymentReference: ['Référence paiement'],
    amount: ['Montant total'],
    paymentDate: ['Date du paiement'],
    paymentStatus: ['Statut du paiement'],
    campaignType: ['Type de campagne'],
    lastName: ['Nom adhérent', 'Nom bénéficiaire'],
    firstName: ['Prénom adhérent', 'Prénom bénéficiaire'],
    category: ['Tarif'],
  },
  signatures: [['Référence paiement', 'Date du paiement']],
  required: [['amount'], ['paymentDate'], ['payerLastName', 'lastName']],
  viaHelloAsso: true,
};
