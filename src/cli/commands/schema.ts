import type { Command } from 'commander';
import type { CliIo, SetExit } from '../io.js';

export function registerSchema(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('schema')
    .description('Print the JSON Schema of scenario files, for editors (e.g. yaml-language-server).')
    .addHelpText('after', '\nExample:\n  geosim schema > geosim.schema.json\n  # then in a scenario: # yaml-language-server: $schema=./geosim.schema.json')
    .action(async () => {
      const { scenarioJsonSchema } = await import('../../scenario/json-schema.js');
      io.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
      setExit(0);
    });
}
