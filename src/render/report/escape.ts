/**
 * Text from a scenario made safe inside HTML or SVG (element content and double-quoted
 * attributes): `&`, `<`, `>`, `"` and `'` become entities, so an item id `<script>` reads as text.
 * Control characters are escaped as every view escapes them (escapeControlChars) by the caller.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
