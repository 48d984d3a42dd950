// What a sequence diagram is made of before it is drawn: one Step per trace event (its arrow and
// notes, made by sequence-steps.ts), then Statements (steps merged or summarised, drawn by
// sequence.ts). Its own module so the step handlers and the drawing both import it, one way.

export type ArrowKind = '->>' | '-->>' | '-)' | '--)' | '-x' | '--x';

export interface Arrow {
  from: string;
  to: string;
  arrow: ArrowKind;
  verb: string;
  item: string;
  /** Appended after `→` (a destination region). */
  target?: string;
  /** Shown in parentheses when the arrow is not merged. */
  detail?: string;
  /** The item's state after the step; merged arrows of a few items list it per item. */
  value?: string;
  /** Replaces `<verb> <item>` in the label, and `<item> (<value>)` in a merged one. */
  text?: string;
}

export interface Note {
  over: string[];
  text: string;
}

export interface Step {
  t: number;
  arrow?: Arrow;
  notes: Note[];
  /** Routine steps carry no note and may be merged or summarised. */
  routine: boolean;
  /** What a summary counts this step as ("writes", "replication", ...). */
  category: string;
  /** Steps with the same key may merge when adjacent (routine ones only). */
  mergeKey?: string;
  /** The item the trace event is about, if any: a step never merges back past another step on it. */
  itemId?: string;
  /**
   * A note-only step that merges like an arrow (held writes): adjacent ones with the same key draw
   * as one note `<time> <head> ×N<mid>: <items><tail>` over `over`.
   */
  group?: { over: string[]; head: string; mid: string; item: string; tail: string };
  /**
   * An outage or a replication pause opens or closes here: meanwhile the participants it stops
   * (the region's, or the replication) carry a bar (a Mermaid activation), resolved when drawn.
   */
  fault?: { phase: 'start' | 'end'; index: number; outage: string[] } | { phase: 'start' | 'end'; index: number; pause: true; effectiveAt?: number };
}

/** A drawn statement: one step, or several merged / summarised ones. */
export interface Statement {
  steps: Step[];
  /** How many trace steps it stands for. */
  count: number;
  summary?: Note;
}

/** A note over this one "participant" spans every participant; resolved when drawn, since later steps may add participants. */
export const SPAN_ALL = '*';
