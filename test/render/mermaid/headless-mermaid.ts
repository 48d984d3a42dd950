/**
 * Mermaid's own parser in plain Node (notes/rendering.md): mermaid needs `window`, `document` and
 * `Option` before it is imported, which a bare jsdom provides. Loaded once per test file.
 */
type Mermaid = typeof import('mermaid').default;

let loaded: Promise<Mermaid> | undefined;

export function headlessMermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    const { JSDOM } = await import('jsdom');
    const dom = new JSDOM('');
    Object.assign(globalThis, { window: dom.window, document: dom.window.document, Option: dom.window.Option });
    const { default: mermaid } = await import('mermaid');
    return mermaid;
  })();
  return loaded;
}

export interface ParsedSequence {
  /** Participant id -> its shown name. */
  actors: Map<string, string>;
  /** Box titles (in jsdom the colour stays in front of the title) with their participant ids. */
  boxes: { name: string; actors: string[] }[];
  /** Message and note texts, entity codes decoded back to characters, `<br/>` read as a space. */
  messages: string[];
  /** The same texts split at `<br/>` into the lines Mermaid draws. */
  lines: string[][];
}

/** Parses a diagram (throws on a syntax error) and, for a sequence diagram, reads its model. */
export async function parseDiagram(text: string): Promise<{ type: string; sequence?: ParsedSequence }> {
  const mermaid = await headlessMermaid();
  await mermaid.parse(text);
  const diagram = (await mermaid.mermaidAPI.getDiagramFromText(text)) as unknown as { type: string; db: Record<string, (...a: unknown[]) => unknown> };
  if (diagram.type !== 'sequence') return { type: diagram.type };
  const db = diagram.db;
  const actors = new Map<string, string>();
  for (const [id, a] of db.getActors!() as Map<string, { description: string }>) actors.set(id, decode(a.description));
  const boxes = (db.getBoxes!() as { name: string; actorKeys: string[] }[]).map((b) => ({ name: b.name, actors: [...b.actorKeys] }));
  const raw = (db.getMessages!() as { message?: string }[]).filter((m) => typeof m.message === 'string' && m.message !== '').map((m) => decode(m.message as string));
  const lines = raw.map((m) => m.split(/<br\s*\/?>/));
  return { type: diagram.type, sequence: { actors, boxes, messages: lines.map((l) => l.join(' ')), lines } };
}

/** Undoes mermaid's internal entity placeholders (what `#59;` becomes while parsing). */
function decode(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&' };
  return text
    .replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/ﬂ°(\w+)¶ß/g, (m, n: string) => named[n] ?? m);
}
