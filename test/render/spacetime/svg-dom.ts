import { JSDOM } from 'jsdom';

/** The space-time SVG as a strict XML document (jsdom's parser): malformed XML fails the test. */
export function parseSvg(svg: string): Document {
  const { DOMParser } = new JSDOM('').window;
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const error = doc.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`not well-formed XML: ${error.textContent}`);
  return doc;
}

/** y of time t on a drawing's axis, as the drawing defines it (linear between breakpoints, clamped). */
export function yOn(axis: { t: number; y: number }[], t: number): number {
  if (t <= axis[0]!.t) return axis[0]!.y;
  for (let i = 1; i < axis.length; i++) {
    const a = axis[i - 1]!;
    const b = axis[i]!;
    if (t <= b.t) return a.y + ((t - a.t) / (b.t - a.t)) * (b.y - a.y);
  }
  return axis[axis.length - 1]!.y;
}

/** x of a region's line, from its name above it. */
export function regionX(doc: Document, region: string): number {
  const name = [...doc.querySelectorAll('text.st-region-name')].find((t) => t.textContent === region);
  if (!name) throw new Error(`no line for ${region}`);
  return Number(name.getAttribute('x'));
}

/** The points of a path made of M/L commands ("M1,2L3,4" → [[1,2],[3,4]]). */
export function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}
