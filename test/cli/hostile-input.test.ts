import { describe, expect, it } from 'vitest';
import { geosim, tempFile } from '../helpers/cli.js';

// Issue 10, items 5, 6, 8: hostile and large input through main(argv, io), as `geosim run` reads it.

const VALID = `regions: [us-east-1, eu-west-1]
steps:
  - at: 0
    event: { id: e1, region: us-east-1, item: "O#1", data: { s: a } }
`;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('hostile input', () => {
  it('escape sequences in a scenario line are printed escaped, never raw (exit 2)', async () => {
    const r = await geosim(['run', tempFile('esc.yaml', VALID.replace('at: 0', 'at: x\u001b[2J\u001b]0;pwned\u0007'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain('\\x1b[2J\\x1b]0;pwned\\x07');
  });

  it('a binary file is "not a YAML text file" at 1:1, with none of its bytes echoed', async () => {
    const elf = Buffer.concat([Buffer.from('\u007fELF'), Buffer.alloc(2000, 0)]);
    const file = tempFile('a.out.yaml', elf);
    const r = await geosim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:1:1 error[not-text] not a YAML text file`);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it('a handler\'s source named where a scenario goes is one not-a-scenario problem at 1:1, not its code read as YAML (73 errors)', async () => {
    for (const command of ['run', 'explore', 'serve']) {
      const r = await geosim([command, 'examples/orders/src/orders.ts', ...(command === 'serve' ? ['--port', '0'] : [])]);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toContain('examples/orders/src/orders.ts:1:1 error[not-a-scenario] a .ts file is source code, not a scenario: a scenario is a YAML file (.yaml or .yml)\n  hint: to run a handler, name its module in a scenario: application: { module: ./src/handler.ts, handler: handler } (see examples/orders)\n');
      expect(r.stderr.match(/ error\[/g)).toHaveLength(1);
    }
  });

  it('a file over --max-file-size is refused at 1:1 naming the flag; the flag raises the limit', async () => {
    const file = tempFile('big.yaml', VALID + `# ${'x'.repeat(4000)}\n`);
    const refused = await geosim(['run', file, '--max-file-size', '2KB']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file}:1:1 error[file-too-large] the file is 4 KB; scenario files are limited to 2 KB`);
    expect(refused.stderr).toContain('--max-file-size');
    expect((await geosim(['run', file, '--max-file-size', '8KB'])).code).toBe(0);
    expect((await geosim(['run', file, '--max-file-size', 'lots'])).code).toBe(2);
  });

  it('a huge time on an event step is exit 2 with its position, not an internal error', async () => {
    for (const at of ['1e300', '"99999999999999m"']) {
      const file = tempFile('huge.yaml', VALID.replace('at: 0', `at: ${at}`));
      const r = await geosim(['run', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:3:9 error[wrong-value] steps[0].at: at most 365 days`);
    }
  });
});
