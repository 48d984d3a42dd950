import type { Shape } from './marks.js';
import { num } from './svg.js';

/** A mark's shape centred on (x, y), about 8 px across; `dir` points a triangle (1 right, -1 left). */
export function shapeSvg(shape: Shape, x: number, y: number, dir = 1): string {
  const X = num(x);
  const Y = num(y);
  switch (shape) {
    case 'dot':
      return `<circle class="st-dot" cx="${X}" cy="${Y}" r="4.5"/>`;
    case 'small-dot':
      return `<circle class="st-dot" cx="${X}" cy="${Y}" r="3"/>`;
    case 'triangle':
      return `<path class="st-shape" d="M${num(x - 4 * dir)},${num(y - 4)}L${num(x + 4 * dir)},${Y}L${num(x - 4 * dir)},${num(y + 4)}z"/>`;
    case 'square':
      return `<rect class="st-shape" x="${num(x - 3.5)}" y="${num(y - 3.5)}" width="7" height="7"/>`;
    case 'hollow-square':
      return `<rect class="st-shape st-hollow" x="${num(x - 3.5)}" y="${num(y - 3.5)}" width="7" height="7"/>`;
    case 'diamond':
      return `<path class="st-shape" d="M${X},${num(y - 5)}L${num(x + 5)},${Y}L${X},${num(y + 5)}L${num(x - 5)},${Y}z"/>`;
    case 'ring':
      return `<circle class="st-shape" cx="${X}" cy="${Y}" r="3.5"/>`;
    case 'x':
      return `<path class="st-shape" d="M${num(x - 3.5)},${num(y - 3.5)}L${num(x + 3.5)},${num(y + 3.5)}M${num(x - 3.5)},${num(y + 3.5)}L${num(x + 3.5)},${num(y - 3.5)}"/>`;
    case 'bar':
      return `<rect class="st-shape" x="${num(x - 2.5)}" y="${num(y - 5)}" width="5" height="10"/>`;
    case 'check':
      return `<path class="st-shape" d="M${num(x - 4)},${Y}L${num(x - 1)},${num(y + 3.5)}L${num(x + 4.5)},${num(y - 4)}"/>`;
    case 'cross-check':
      return `<path class="st-shape" d="M${num(x - 4)},${num(y - 4)}L${num(x + 4)},${num(y + 4)}M${num(x - 4)},${num(y + 4)}L${num(x + 4)},${num(y - 4)}"/>`;
  }
}
