/** sRGB's transfer function on a linear channel, to a byte. */
function toByte(linear: number): number {
  const c = Math.min(Math.max(linear, 0), 1);
  return Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055));
}

/** An OKLCH colour (lightness 0–1, chroma, hue in degrees) as sRGB bytes, clipped to the gamut (Björn Ottosson's OKLab matrices). */
export function oklchToRgb(lightness: number, chroma: number, hue: number): [number, number, number] {
  const a = chroma * Math.cos((hue * Math.PI) / 180), b = chroma * Math.sin((hue * Math.PI) / 180);
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [toByte(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s), toByte(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s), toByte(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s)];
}

/** A CSS `oklch(L C H)` colour (as the renderer's genre colours write it) as sRGB bytes. Throws on any other text. */
export function cssOklchToRgb(css: string): [number, number, number] {
  const match = /^oklch\(\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\)$/.exec(css);
  if (!match) throw new Error(`not an oklch() colour: ${css}`);
  return oklchToRgb(Number(match[1]), Number(match[2]), Number(match[3]));
}
