/**
 * A drawn chart as a PNG, made on this machine: the recharts SVG is copied with its computed colours written in as
 * presentation attributes (the stylesheet does not reach an SVG drawn as an image, and attributes need no inline
 * style under the CSP), loaded from a blob: URL (allowed by img-src), painted on a canvas under the chart's title and
 * legend, and encoded with toBlob. Nothing leaves the machine.
 */

/** Computed properties copied onto every element of the copy. */
const PAINT = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility',
] as const;

const SCALE = 2;
const PADDING = 16;
const TITLE_SIZE = 15;
const LEGEND_SIZE = 12;
const LINE_GAP = 8;
const SWATCH = 10;

export interface ChartImageText {
  title: string;
  /** What and when: the server and the window shown, in muted text beside the title. */
  subtitle: string;
  legend: { label: string; colour: string }[];
}

function inlinedCopy(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((original, index) => {
    const target = copies[index];
    if (!target) return;
    const computed = getComputedStyle(original);
    if (computed.display === 'none') {
      target.remove();
      return;
    }
    for (const property of PAINT) {
      const value = computed.getPropertyValue(property);
      if (value) target.setAttribute(property, value);
    }
    target.removeAttribute('style');
    target.removeAttribute('class');
  });
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  return copy;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    image.src = url;
  });
}

/** The PNG of the chart drawn in `container`, with its title and legend above it. */
export async function chartPng(container: HTMLElement, text: ChartImageText): Promise<Blob> {
  const svg = container.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!svg) throw new Error('no chart to save');
  const copy = inlinedCopy(svg);
  const width = Number(copy.getAttribute('width'));
  const height = Number(copy.getAttribute('height'));
  const source = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }));
  try {
    const image = await loadImage(url);
    const style = getComputedStyle(container);
    const font = style.fontFamily;
    const headerHeight = TITLE_SIZE + LINE_GAP + LEGEND_SIZE + LINE_GAP * 2;
    const canvas = document.createElement('canvas');
    canvas.width = (width + PADDING * 2) * SCALE;
    canvas.height = (height + headerHeight + PADDING * 2) * SCALE;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas');
    context.scale(SCALE, SCALE);
    context.fillStyle = style.getPropertyValue('--surface').trim() || '#ffffff';
    context.fillRect(0, 0, width + PADDING * 2, height + headerHeight + PADDING * 2);
    const textColour = style.color;
    context.fillStyle = textColour;
    context.textBaseline = 'top';
    context.font = `600 ${TITLE_SIZE}px ${font}`;
    context.fillText(text.title, PADDING, PADDING);
    const titleWidth = context.measureText(text.title).width;
    context.font = `${LEGEND_SIZE}px ${font}`;
    context.fillStyle = style.getPropertyValue('--text-muted').trim() || textColour;
    context.fillText(text.subtitle, PADDING + titleWidth + 12, PADDING + (TITLE_SIZE - LEGEND_SIZE) / 2);
    context.font = `${LEGEND_SIZE}px ${font}`;
    let x = PADDING;
    const legendY = PADDING + TITLE_SIZE + LINE_GAP;
    for (const item of text.legend) {
      context.fillStyle = item.colour;
      context.fillRect(x, legendY + 1, SWATCH, SWATCH);
      x += SWATCH + 5;
      context.fillStyle = textColour;
      context.fillText(item.label, x, legendY);
      x += context.measureText(item.label).width + 14;
    }
    context.drawImage(image, PADDING, PADDING + headerHeight, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function blobBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  // Chunked: spreading a large array into fromCharCode overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
