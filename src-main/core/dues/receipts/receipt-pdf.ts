import { PDFDocument, PageSizes, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { amountInFrenchWords } from './amount-in-words';
import { formatEuros, formatFrenchDate, NBSP, parseIsoDate } from './french-format';
import { toSupportedText } from './winansi';
import { wrapText } from './wrap-text';

export interface ReceiptData {
  /** From the gap-free sequence, e.g. "2026-0007". */
  number: string;
  /** yyyy-mm-dd; also the PDF creation date, so re-rendering a receipt gives the same bytes. */
  issueDate: string;
  association: { name: string; /** Lines separated by "\n". */ address: string };
  member: { displayName: string; addressLines: readonly string[] };
  payment: {
    amountCents: number;
    /** From the settings; only EUR is supported, as the amount in words says "euros". */
    currency: string;
    /** yyyy-mm-dd */
    date: string;
    /** Already translated, e.g. "Virement". */
    methodLabel: string;
    /** Cheque number, transfer or HelloAsso reference; the row is left out when absent. */
    reference?: string | null;
    /** yyyy-mm-dd, inclusive. */
    periodStart: string;
    periodEnd: string;
  };
}

/** Every fixed text of the receipt, from the UI's translation files. */
export interface ReceiptLabels {
  title: string; // "Reçu de cotisation"
  receiptNumber: string; // "Reçu n°"
  receivedFrom: string; // "Reçu de"
  amount: string; // "La somme de"
  amountInWords: string; // "En lettres"
  paymentDate: string; // "Date du paiement"
  paymentMethod: string; // "Mode de paiement"
  reference: string; // "Référence"
  period: string; // "Période couverte"
  /** With {start} and {end} placeholders: "du {start} au {end}". */
  periodRange: string;
  issuedOn: string; // "Fait le"
  signature: string; // "Pour l'association, le trésorier ou la trésorière"; "" for none
  footer: string; // e.g. "Ce reçu ne constitue pas un reçu fiscal."; "" for none
}

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN = 56.7; // 2 cm
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const LABEL_COLUMN = 150;
const CELL_PADDING = 9;
/** Blank space kept under the signature line for a handwritten signature or stamp. */
const SIGNATURE_SPACE = 60;

const INK = rgb(0.12, 0.12, 0.14);
const MUTED = rgb(0.4, 0.4, 0.43);
const ACCENT = rgb(0.16, 0.3, 0.47);
const LINE = rgb(0.8, 0.8, 0.82);
const SHADE = rgb(0.95, 0.955, 0.965);

interface Style {
  font: PDFFont;
  size: number;
  color: RGB;
  /** Height of one line box. */
  leading: number;
}

type Align = 'left' | 'right' | 'center';

/** Distance from the top of a line box to the baseline that centres capitals in the box. */
const baselineOffset = (style: Style): number => style.leading / 2 + 0.35 * style.size;

/** Text drawing on one page with sanitising, wrapping and alignment; y is the top of the next free space. */
function pen(page: PDFPage, supported: ReadonlySet<number>) {
  const width = (s: string, style: Style): number => style.font.widthOfTextAtSize(s, style.size);
  return {
    /** Sanitised, wrapped lines of `text` (which may hold "\n"). */
    lines(text: string, style: Style, maxWidth: number): string[] {
      return text
        .split(/\r?\n/)
        .flatMap((line) => wrapText(toSupportedText(line, supported), maxWidth, (s) => width(s, style)));
    },
    /** Draws lines downwards from `top` inside [x, x + boxWidth]; returns the top of the space below. */
    draw(lines: readonly string[], x: number, top: number, style: Style, boxWidth = 0, align: Align = 'left'): number {
      let lineTop = top;
      for (const line of lines) {
        const free = boxWidth - width(line, style);
        const dx = align === 'right' ? free : align === 'center' ? free / 2 : 0;
        const y = lineTop - baselineOffset(style);
        page.drawText(line, { x: x + dx, y, font: style.font, size: style.size, color: style.color });
        lineTop -= style.leading;
      }
      return lineTop;
    },
  };
}

function validate(data: ReceiptData): void {
  if (data.number.trim() === '') throw new RangeError('receipt number is empty');
  if (data.payment.currency !== 'EUR') throw new RangeError(`unsupported currency ${data.payment.currency}`);
  for (const iso of [data.issueDate, data.payment.date, data.payment.periodStart, data.payment.periodEnd]) {
    parseIsoDate(iso);
  }
  if (data.payment.periodEnd < data.payment.periodStart) {
    throw new RangeError(`period ends (${data.payment.periodEnd}) before it starts (${data.payment.periodStart})`);
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const style = (font: PDFFont, size: number, color: RGB = INK, leading = size * 1.35): Style => ({
  font, size, color, leading,
});

interface Sheet {
  page: PDFPage;
  p: ReturnType<typeof pen>;
  regular: PDFFont;
  bold: PDFFont;
}

const RIGHT = MARGIN + CONTENT_WIDTH;

function rule(page: PDFPage, y: number, thickness: number, color: RGB): void {
  page.drawLine({ start: { x: MARGIN, y }, end: { x: RIGHT, y }, thickness, color });
}

/** Association on the left, title and number on the right, then a rule. Returns the y below. */
function drawHeader({ page, p, regular, bold }: Sheet, data: ReceiptData, title: string, number: string): number {
  const half = CONTENT_WIDTH / 2 - 10;
  const nameStyle = style(bold, 14);
  const addressStyle = style(regular, 9.5, MUTED, 13);
  const titleStyle = style(bold, 20, ACCENT, 25);
  const numberStyle = style(bold, 11.5);
  const top = PAGE_HEIGHT - MARGIN;
  const nameBottom = p.draw(p.lines(data.association.name, nameStyle, half), MARGIN, top, nameStyle);
  const leftBottom = p.draw(p.lines(data.association.address, addressStyle, half), MARGIN, nameBottom - 2, addressStyle);
  const titleBottom = p.draw(p.lines(title, titleStyle, half), RIGHT - half, top, titleStyle, half, 'right');
  const rightBottom = p.draw(p.lines(number, numberStyle, half), RIGHT - half, titleBottom, numberStyle, half, 'right');
  const y = Math.min(leftBottom, rightBottom) - 14;
  rule(page, y, 1.5, ACCENT);
  return y;
}

function drawMember({ p, regular, bold }: Sheet, member: ReceiptData['member'], label: string, top: number): number {
  const labelStyle = style(regular, 9.5, MUTED);
  const nameStyle = style(bold, 13);
  const addressStyle = style(regular, 10.5, INK, 14);
  let y = p.draw(p.lines(label, labelStyle, CONTENT_WIDTH), MARGIN, top, labelStyle);
  y = p.draw(p.lines(member.displayName, nameStyle, CONTENT_WIDTH), MARGIN, y, nameStyle);
  return p.draw(p.lines(member.addressLines.join('\n'), addressStyle, CONTENT_WIDTH), MARGIN, y, addressStyle);
}

interface Row {
  label: string;
  value: string;
  style: Style;
}

/** Two columns, labels on a shaded background, one row per fact. Returns the y below. */
function drawTable({ page, p, regular }: Sheet, rows: readonly Row[], top: number): number {
  const labelStyle = style(regular, 10, MUTED, 14);
  const valueX = MARGIN + LABEL_COLUMN;
  const layout = rows.map((row) => {
    const labelLines = p.lines(row.label, labelStyle, LABEL_COLUMN - 2 * CELL_PADDING);
    const valueLines = p.lines(row.value, row.style, CONTENT_WIDTH - LABEL_COLUMN - 2 * CELL_PADDING);
    // Shift the label so its first baseline lines up with the value's.
    const labelShift = baselineOffset(row.style) - baselineOffset(labelStyle);
    const height = 2 * CELL_PADDING +
      Math.max(labelShift + labelLines.length * labelStyle.leading, valueLines.length * row.style.leading);
    return { labelLines, valueLines, valueStyle: row.style, labelShift, height };
  });
  const height = layout.reduce((sum, row) => sum + row.height, 0);
  // Shade in one go: shading drawn row by row would paint over the separators.
  page.drawRectangle({ x: MARGIN, y: top - height, width: LABEL_COLUMN, height, color: SHADE });
  let y = top;
  layout.forEach(({ labelLines, valueLines, valueStyle, labelShift, height: rowHeight }, index) => {
    p.draw(labelLines, MARGIN + CELL_PADDING, y - CELL_PADDING - labelShift, labelStyle);
    p.draw(valueLines, valueX + CELL_PADDING, y - CELL_PADDING, valueStyle);
    y -= rowHeight;
    if (index < layout.length - 1) rule(page, y, 0.5, LINE);
  });
  page.drawLine({ start: { x: valueX, y }, end: { x: valueX, y: top }, thickness: 0.5, color: LINE });
  page.drawRectangle({ x: MARGIN, y, width: CONTENT_WIDTH, height, borderColor: LINE, borderWidth: 0.8 });
  return y;
}

/** Footer lines stacked upwards from the bottom margin. Returns the y of its top rule. */
function drawFooter({ page, p, regular }: Sheet, lines: readonly string[]): number {
  const footerStyle = style(regular, 8.5, MUTED, 12);
  const wrapped = lines.flatMap((line) => p.lines(line, footerStyle, CONTENT_WIDTH));
  const top = MARGIN - 10 + wrapped.length * footerStyle.leading;
  p.draw(wrapped, MARGIN, top, footerStyle, CONTENT_WIDTH, 'center');
  rule(page, top + 6, 0.5, LINE);
  return top + 6;
}

/**
 * A4 receipt for one dues payment. Throws RangeError on invalid data or content too long for one page;
 * never on exotic characters, which are replaced.
 */
export async function renderReceiptPdf(data: ReceiptData, labels: ReceiptLabels): Promise<Uint8Array> {
  validate(data);
  const { payment } = data;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  // Both fonts use WinAnsi, so one character set serves both.
  const sheet: Sheet = { page, p: pen(page, new Set(regular.getCharacterSet())), regular, bold };
  const number = `${labels.receiptNumber}${NBSP}${data.number}`;

  let y = drawHeader(sheet, data, labels.title, number);
  y = drawMember(sheet, data.member, labels.receivedFrom, y - 22);

  const cell = style(regular, 10.5, INK, 14);
  const period = labels.periodRange.replace(/\{(start|end)\}/g, (_, key: string) =>
    formatFrenchDate(key === 'start' ? payment.periodStart : payment.periodEnd),
  );
  const reference = payment.reference?.trim();
  y = drawTable(sheet, [
    { label: labels.amount, value: formatEuros(payment.amountCents), style: style(bold, 14, INK, 18) },
    { label: labels.amountInWords, value: capitalise(amountInFrenchWords(payment.amountCents)), style: cell },
    { label: labels.paymentDate, value: formatFrenchDate(payment.date), style: cell },
    { label: labels.paymentMethod, value: payment.methodLabel, style: cell },
    ...(reference ? [{ label: labels.reference, value: reference, style: cell }] : []),
    { label: labels.period, value: period, style: cell },
  ], y - 18);

  // Date, then room for a handwritten signature, on the right as on a letter.
  const signX = MARGIN + CONTENT_WIDTH / 2;
  const issuedStyle = style(regular, 10.5);
  const signatureStyle = style(regular, 9.5, MUTED);
  const issuedOn = `${labels.issuedOn} ${formatFrenchDate(data.issueDate)}`;
  y = sheet.p.draw(sheet.p.lines(issuedOn, issuedStyle, CONTENT_WIDTH / 2), signX, y - 30, issuedStyle);
  y = sheet.p.draw(sheet.p.lines(labels.signature, signatureStyle, CONTENT_WIDTH / 2), signX, y, signatureStyle);

  const footerTop = drawFooter(sheet, [labels.footer, `${data.association.name} · ${number}`]);
  if (y - SIGNATURE_SPACE < footerTop) throw new RangeError('receipt content does not fit on one page');

  const issued = parseIsoDate(data.issueDate);
  doc.setTitle(`${labels.title} ${data.number}`, { showInWindowTitleBar: true });
  doc.setAuthor(data.association.name);
  doc.setCreator('Pelote');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  return doc.save({ useObjectStreams: false });
}
