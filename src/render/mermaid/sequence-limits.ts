// The caps of the sequence diagram's legibility rule (see sequenceDiagram in sequence.ts). Their
// own module so that the participants' Context and the diagram both read them, one way.

export interface SequenceLimits {
  /** Above this many arrows (after merging), routine runs are summarised as notes. */
  softArrowCap: number;
  /** Never more than this many statements (an arrow with its notes, or a note) in the body. */
  hardStatementCap: number;
  /** When summarising, a routine run keeps this many statements drawn as an example of the flow. */
  exampleStatements: number;
  /** Items named in a merged label before `+N more`. */
  itemsShown: number;
  /** Labels break into lines of at most this many characters (see wrapLabel in sequence.ts). */
  lineWidth: number;
}

export const SEQUENCE_LIMITS: SequenceLimits = { softArrowCap: 80, hardStatementCap: 160, exampleStatements: 6, itemsShown: 3, lineWidth: 44 };
