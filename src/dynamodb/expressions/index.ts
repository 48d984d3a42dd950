/**
 * DynamoDB's expressions for the model's API: compile once per request (`compileExpressions`:
 * parse, resolve placeholders, every check DynamoDB makes before reading data), then evaluate
 * conditions, apply updates, project items and split key conditions.
 *
 * Pipeline: lexer.ts → parser.ts (syntax tree with placeholders) → compile.ts (checked ast.ts trees)
 * → evaluate.ts / update.ts / projection.ts / key-condition.ts.
 */
export type { Comparator, Condition, KeyCondition, Operand, Path, PathElement, Projection, Update, UpdateAction } from './ast.js';
export { printPath } from './ast.js';
export { compileExpressions, MAX_IN_OPERANDS, type CompiledExpressions, type CompileOptions, type ExpressionInput } from './compile.js';
export { evaluateCondition, resolvePath } from './evaluate.js';
export { keyConditionFor, type KeyConditionParts, type KeySchema, type SortKeyOp } from './key-condition.js';
export { project } from './projection.js';
export { RESERVED_WORDS, isReservedWord } from './reserved-words.js';
export { applyUpdate, markOwnedValues, UPDATE_MESSAGES } from './update.js';
