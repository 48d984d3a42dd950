import { escapeControlChars } from '../control-chars.js';

/**
 * The small pieces every part of the space-time SVG writes with: numbers rounded to one decimal
 * (so the bytes never carry float noise), and text made safe for XML (control characters shown
 * escaped as in every view, since XML cannot hold most of them even as entities).
 */
export function num(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Text for an element's content or an attribute value in double quotes. */
export function xml(text: string): string {
  return escapeControlChars(text).replace(/[&<>"']/g, (ch) => XML_ENTITY[ch]!);
}

const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Cut to at most `max` characters, an ellipsis marking the cut. */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** 117893 → "117,893", without the locale (the bytes must not depend on the machine). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A `<title>` for hover (and for screen readers). Its lines stay lines: the newlines the drawing
 * joins them with are kept as they are (XML text holds them), while each line's own control
 * characters come out escaped like any text.
 */
export function title(text: string): string {
  return `<title>${text.split('\n').map(xml).join('\n')}</title>`;
}

/** Cut to at most about `max` characters at a word boundary where one is near, an ellipsis marking the cut. */
export function cutWords(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max - 1).join('');
  const space = head.lastIndexOf(' ');
  // A dangling connective ("v2 by…") says nothing; the title has the rest.
  return `${(space >= max / 2 ? head.slice(0, space) : head).replace(/ (by|ts)$/, '')}…`;
}
