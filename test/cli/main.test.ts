import { afterEach, describe, expect, it, vi } from 'vitest';
import { VERSION } from '../../src/cli/main.js';
import { geosim } from '../helpers/cli.js';

// main(argv, io) in-process: argument parsing, help, version and how each kind of error becomes an
// exit code (DESIGN §4). The built binary is exercised in test/e2e/cli.test.ts.
describe('geosim (main)', () => {
  afterEach(() => {
    vi.doUnmock('../../src/cli/run-command.js');
  });

  it('--version prints the version and exits 0', async () => {
    expect(await geosim(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await geosim(['-V'])).stdout).toBe(`${VERSION}\n`);
  });

  it('--help lists every command and exits 0; no command prints the help on stderr and exits 2', async () => {
    const help = await geosim(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['run', 'schema', 'diagram', 'serve', 'explore']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const none = await geosim([]);
    // no command is bad input (exit 2, as an unknown one): a CI step that forgot it fails
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: geosim');
  });

  it('an unknown command or option is bad input (exit 2) with a pointer to --help, never commander’s exit 1', async () => {
    const command = await geosim(['nonsense']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'nonsense'");
    expect(command.stderr).toContain('(run with --help for usage)');
    const option = await geosim(['run', 'scenarios/concurrent.yaml', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--colour'");
    expect(option.stdout).toBe('');
    expect((await geosim(['run'])).stderr).toContain("missing required argument 'paths'");
  });

  it('geosim help <unknown> says which command it does not know, and the nearest (it printed the whole help without a reason); geosim help <command> is a success (it exited 2)', async () => {
    const r = await geosim(['help', 'explor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: unknown command \'explor\' (did you mean "explore"?)\n(run geosim --help for the commands)\n');
    expect(r.stdout).toBe('');
    const known = await geosim(['help', 'explore']);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain('Usage: geosim explore');
    for (const argv of [['help', 'help'], ['help', '--help']]) {
      const r2 = await geosim(argv);
      expect(r2.code, argv.join(' ')).toBe(0);
      expect(r2.stdout).toContain('Usage: geosim [options] [command]');
    }
  });

  it('escapes control characters commander echoes from argv', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--seed', 'x\u001b[2J']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\x1b[2J');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('a bug is exit 70 with what a report needs: version, command, node, stack', async () => {
    vi.doMock('../../src/cli/run-command.js', () => ({
      runCommand: () => {
        throw new TypeError('boom');
      },
    }));
    const r = await geosim(['run', 'scenarios/concurrent.yaml']);
    expect(r.code).toBe(70);
    expect(r.stderr).toContain(`geosim ${VERSION} hit an internal error (a bug; please report it with this text).`);
    expect(r.stderr).toContain('command: geosim run scenarios/concurrent.yaml');
    expect(r.stderr).toContain(`node: ${process.version}`);
    expect(r.stderr).toMatch(/TypeError: boom\n\s+at /);
  });
});
