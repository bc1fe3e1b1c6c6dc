import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PageSizes, PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderReceiptPdf, type ReceiptData, type ReceiptLabels } from './receipt-pdf';

const LABELS: ReceiptLabels = {
  title: 'Reçu de cotisation',
  receiptNumber: 'Reçu n°',
  receivedFrom: 'Reçu de',
  amount: 'La somme de',
  amountInWords: 'En lettres',
  paymentDate: 'Date du paiement',
  paymentMethod: 'Mode de paiement',
  reference: 'Référence',
  period: 'Période couverte',
  periodRange: 'du {start} au {end}',
  issuedOn: 'Fait le',
  signature: 'Pour l’association, la trésorière',
  footer: 'Ce reçu atteste du paiement de la cotisation. Il ne constitue pas un reçu fiscal ouvrant droit à réduction d’impôt.',
};

const RECEIPT: ReceiptData = {
  number: '2026-0007',
  issueDate: '2026-03-12',
  association: { name: 'Les Chatons du Val', address: 'Maison des associations\n12 rue des Tilleuls\n69007 Lyon' },
  member: { displayName: 'Hélène Lœuvre', addressLines: ['3 place de l’Église', 'Bâtiment B', '69100 Villeurbanne'] },
  payment: {
    amountCents: 1250,
    currency: 'EUR',
    date: '2025-09-01',
    methodLabel: 'Virement',
    reference: 'HELLOASSO-48213',
    periodStart: '2025-09-01',
    periodEnd: '2026-08-31',
  },
};

const withPayment = (payment: Partial<ReceiptData['payment']>): ReceiptData => ({
  ...RECEIPT,
  payment: { ...RECEIPT.payment, ...payment },
});

// Windows-1252 0x80–0x9F (0x81, 0x8D, 0x8F, 0x90, 0x9D unassigned); the rest is Latin-1. Hand-rolled because
// Node 20's TextDecoder('windows-1252') decodes as plain Latin-1.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const winAnsi = (bytes: Buffer): string =>
  String.fromCharCode(...bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH.charAt(c.charCodeAt(0) - 0x80));

/** The strings shown by Tj operators: pdf-lib writes standard-font text as hex WinAnsi codes. */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const contents: PDFObject | undefined = doc.getPage(0).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
  return streams.flatMap((stream) => {
    if (!(stream instanceof PDFRawStream)) throw new Error('expected a raw content stream');
    const operators = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    return [...operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) => winAnsi(Buffer.from(m[1] ?? '', 'hex')));
  });
}

const NBSP = '\u00a0';

describe('renderReceiptPdf', () => {
  it('renders one A4 page with metadata', async () => {
    const doc = await PDFDocument.load(await renderReceiptPdf(RECEIPT, LABELS), { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    const [width, height] = PageSizes.A4;
    expect(doc.getPage(0).getSize()).toEqual({ width, height });
    expect(doc.getTitle()).toContain('2026-0007');
    expect(doc.getAuthor()).toBe('Les Chatons du Val');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-03-12T00:00:00.000Z');
  });

  it('shows the number, amount in figures and words, dates, method, reference and period', async () => {
    const texts = await pageTexts(await renderReceiptPdf(RECEIPT, LABELS));
    expect(texts).toEqual(
      expect.arrayContaining([
        'Reçu de cotisation',
        `Reçu n°${NBSP}2026-0007`,
        'Les Chatons du Val',
        '12 rue des Tilleuls',
        'Hélène Lœuvre',
        '3 place de l’Église',
        `12,50${NBSP}€`,
        'Douze euros et cinquante centimes',
        '01/09/2025',
        'Virement',
        'HELLOASSO-48213',
        'du 01/09/2025 au 31/08/2026',
        'Fait le 12/03/2026',
        'Pour l’association, la trésorière',
      ]),
    );
  });

  it('wraps long amounts in words without losing any', async () => {
    const texts = await pageTexts(await renderReceiptPdf(withPayment({ amountCents: 99_799_999 }), LABELS));
    const words = 'Neuf cent quatre-vingt-dix-sept mille neuf cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes';
    const start = texts.findIndex((t) => words.startsWith(t) && t.length > 4);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(texts[start]).not.toBe(words);
    expect(texts.slice(start, start + 2).join(' ')).toBe(words);
  });

  it('leaves out the reference row when there is none', async () => {
    const texts = await pageTexts(await renderReceiptPdf(withPayment({ reference: null }), LABELS));
    expect(texts).not.toContain('Référence');
    expect(texts).toContain('Virement');
  });

  it('renders accented names as they are', async () => {
    const receipt = { ...RECEIPT, member: { displayName: 'Zoë Çelik-Œhlenschläger', addressLines: ['Île d’Yeu'] } };
    const texts = await pageTexts(await renderReceiptPdf(receipt, LABELS));
    expect(texts).toEqual(expect.arrayContaining(['Zoë Çelik-Œhlenschläger', 'Île d’Yeu']));
  });

  it('replaces characters the standard fonts cannot show instead of failing', async () => {
    const receipt = { ...RECEIPT, member: { displayName: 'Łukasz 😀', addressLines: ['ul. Długa 5', '80-827 Gdańsk'] } };
    const texts = await pageTexts(await renderReceiptPdf(receipt, LABELS));
    expect(texts).toEqual(expect.arrayContaining(['Lukasz ?', 'ul. Dluga 5', '80-827 Gdansk']));
  });

  it('gives the same bytes for the same receipt', async () => {
    const first = await renderReceiptPdf(RECEIPT, LABELS);
    expect(Buffer.from(await renderReceiptPdf(RECEIPT, LABELS)).equals(Buffer.from(first))).toBe(true);
  });

  it.each<[string, ReceiptData]>([
    ['an empty number', { ...RECEIPT, number: ' ' }],
    ['an impossible date', { ...RECEIPT, issueDate: '2026-02-30' }],
    ['a period ending before it starts', withPayment({ periodStart: '2026-09-01', periodEnd: '2026-08-31' })],
    ['a negative amount', withPayment({ amountCents: -100 })],
    ['fractional cents', withPayment({ amountCents: 12.5 })],
    ['an address too long for one page', { ...RECEIPT, member: { ...RECEIPT.member, addressLines: Array(60).fill('x') } }],
  ])('rejects %s', async (_, receipt) => {
    await expect(renderReceiptPdf(receipt, LABELS)).rejects.toThrow(RangeError);
  });

  it('writes a sample to look at', async () => {
    const path = join(tmpdir(), 'pelote-receipt-sample.pdf');
    await writeFile(path, await renderReceiptPdf(RECEIPT, LABELS));
  });
});
