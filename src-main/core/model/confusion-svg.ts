/** Options for `confusionMatrixSvg`. */
export interface ConfusionSvgOptions {
  /** Heading drawn above the matrix; defaults to "Confusion matrix". */
  title?: string;
}

const CELL_SIZE = 48;
const FONT_SIZE = 12;
const TITLE_FONT_SIZE = 16;
/** Rough advance of one character of the generic sans-serif font, as a fraction of its size. */
const CHAR_WIDTH_RATIO = 0.6;
const MARGIN = 16;
const GAP = 6;
/** Ends of the single-hue (blue) scale for row-normalised values 0 and 1. */
const LIGHTEST: readonly number[] = [247, 251, 255];
const DARKEST: readonly number[] = [8, 48, 107];
/** Cells past this share of their row are dark enough to need white counts. */
const WHITE_TEXT_THRESHOLD = 0.5;

/**
 * A self-contained SVG of a confusion matrix (rows true, columns predicted):
 * each cell shaded on a light-to-dark blue scale by its row-normalised value
 * (the share of the true class predicted as that column; the diagonal is
 * per-class recall) and labelled with its count, white on dark cells and dark
 * on light ones; class names on both axes, axis titles "true" and "predicted",
 * and a title. It uses the generic sans-serif font, loads nothing external,
 * and escapes all text for XML.
 */
export function confusionMatrixSvg(
  confusion: readonly (readonly number[])[],
  classNames: readonly string[],
  { title = 'Confusion matrix' }: ConfusionSvgOptions = {},
): string {
  const n = classNames.length;
  if (confusion.length !== n || confusion.some((row) => row.length !== n)) throw new RangeError(`confusion matrix must be ${n}×${n}`);
  const nameLength = Math.ceil(Math.max(0, ...classNames.map((name) => name.length)) * FONT_SIZE * CHAR_WIDTH_RATIO);
  const gridLeft = MARGIN + FONT_SIZE + GAP + nameLength + GAP;
  const gridTop = MARGIN + TITLE_FONT_SIZE + GAP + FONT_SIZE + GAP + nameLength + GAP;
  const gridSize = n * CELL_SIZE;
  const titleWidth = Math.ceil(title.length * TITLE_FONT_SIZE * CHAR_WIDTH_RATIO) + 2 * MARGIN;
  const width = Math.max(gridLeft + gridSize + MARGIN, titleWidth);
  const height = gridTop + gridSize + MARGIN;
  const gridMiddleX = gridLeft + gridSize / 2;
  const gridMiddleY = gridTop + gridSize / 2;
  const centre = (i: number) => i * CELL_SIZE + CELL_SIZE / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT_SIZE}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="${MARGIN + TITLE_FONT_SIZE}" font-size="${TITLE_FONT_SIZE}" font-weight="bold" text-anchor="middle">${escapeXml(title)}</text>`,
    `<text x="${gridMiddleX}" y="${MARGIN + TITLE_FONT_SIZE + GAP + FONT_SIZE}" font-weight="bold" text-anchor="middle">predicted</text>`,
    `<text transform="translate(${MARGIN + FONT_SIZE} ${gridMiddleY}) rotate(-90)" font-weight="bold" text-anchor="middle">true</text>`,
    ...classNames.map(
      (name, c) =>
        `<text transform="translate(${gridLeft + centre(c)} ${gridTop - GAP}) rotate(-90)" dy="0.35em">${escapeXml(name)}</text>`,
    ),
    ...classNames.map(
      (name, t) => `<text x="${gridLeft - GAP}" y="${gridTop + centre(t)}" dy="0.35em" text-anchor="end">${escapeXml(name)}</text>`,
    ),
    ...confusion.flatMap((row, t) => row.map((count, p) => cellSvg(count, rowShare(row, count), gridLeft + p * CELL_SIZE, gridTop + t * CELL_SIZE))),
    '</svg>',
  ].join('\n');
}

/** `count` as a share of its row's total; 0 for an empty row. */
function rowShare(row: readonly number[], count: number): number {
  const total = row.reduce((sum, v) => sum + v, 0);
  return total > 0 ? count / total : 0;
}

function cellSvg(count: number, share: number, x: number, y: number): string {
  const textColour = share > WHITE_TEXT_THRESHOLD ? '#ffffff' : '#1a1a1a';
  return (
    `<rect x="${x}" y="${y}" width="${CELL_SIZE}" height="${CELL_SIZE}" fill="${scaleColour(share)}" stroke="#ffffff"/>` +
    `<text x="${x + CELL_SIZE / 2}" y="${y + CELL_SIZE / 2}" dy="0.35em" text-anchor="middle" fill="${textColour}">${count}</text>`
  );
}

/** Colour for `share` in [0, 1], linear between the lightest and darkest blue. */
function scaleColour(share: number): string {
  const channels = LIGHTEST.map((light, i) => Math.round(light + (DARKEST[i]! - light) * share));
  return `rgb(${channels.join(',')})`;
}

/** `text` with XML's special characters escaped and the control characters XML 1.0 forbids removed. */
function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
