import type { Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';
import { registerCompare } from './compare.js';
import { registerDiagram } from './diagram.js';
import { registerExplore } from './explore.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerServe } from './serve.js';

/**
 * Every command, one file each. A command file holds only commander wiring: its action loads the
 * modules it needs with `await import(...)` so start-up stays flat as commands grow.
 */
export function registerCommands(program: Command, io: CliIo, setExit: SetExit): void {
  registerRun(program, io, setExit);
  registerSchema(program, io, setExit);
  registerDiagram(program, io, setExit);
  registerServe(program, io, setExit);
  registerExplore(program, io, setExit);
  registerCompare(program, io, setExit);
  registerReport(program, io, setExit);
}
