import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../src/backends/dynamodb/client.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

/**
 * The built CLI where only a process of its own will do: the AWS SDK reads the process environment,
 * and a signal ends the process. Spawned asynchronously: the servers live in this process and must
 * keep answering while geosim runs. Endpoints that misbehave otherwise are tested in-process in
 * test/cli/run-dynamodb-endpoints.test.ts.
 */
interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function geosim(args: string[], env: Record<string, string> = {}, whileRunning?: (child: ReturnType<typeof spawn>, stderr: () => string) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/geosim', ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    whileRunning?.(child, () => stderr);
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

const lines = (text: string) => text.trimEnd().split('\n');

describe('geosim run --backend dynamodb with AWS keys in the environment', () => {
  const html = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>It works!</body></html>');
  });
  let htmlUrl: string;
  beforeAll(async () => {
    htmlUrl = await listen(html);
  });
  afterAll(() => {
    html.close();
  });

  it('--profile with keys in the environment prints geosim’s one line, not the SDK’s warning', async () => {
    const none = join(mkdtempSync(join(tmpdir(), 'geosim-aws-')), 'none');
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', htmlUrl, '--profile', 'nosuch'], {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_CONFIG_FILE: none,
      AWS_SHARED_CREDENTIALS_FILE: none,
    });
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^no AWS credentials for /)]);
  });
});

describe('SIGINT during an --endpoint run', () => {
  const local = useDynamoDbLocal();

  const tables = async (region: string) => {
    const client = createDynamoClient({ region, endpoint: local().endpoint, localCredentials: true });
    try {
      return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    } finally {
      client.destroy();
    }
  };

  it('removes the tables geosim created, says so, and ends by the signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-sigint-'));
    const file = join(dir, 'long.yaml');
    // A step ten minutes away: the run is still going when the signal comes.
    writeFileSync(file, 'regions: [us-east-1, eu-west-1]\nsteps:\n  - { at: 0, put: { region: us-east-1, item: { Id: A } } }\n  - { at: 10m, put: { region: us-east-1, item: { Id: B } } }\n');
    let seenTables = false;
    const r = await geosim(['run', file, '--backend', 'dynamodb', '--endpoint', local().endpoint], {}, (child) => {
      const poll = setInterval(async () => {
        const [us, eu] = await Promise.all([tables('us-east-1'), tables('eu-west-1')]);
        if (us.length > 0 && eu.length > 0 && !seenTables) {
          seenTables = true;
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 200);
      child.on('close', () => clearInterval(poll));
    });
    expect(seenTables).toBe(true);
    expect(r.signal).toBe('SIGINT');
    expect(r.stderr).toMatch(/geosim: interrupted; removed table geosim-long-[0-9a-f]+ in us-east-1 at http:\/\/127\.0\.0\.1:\d+, table geosim-long-[0-9a-f]+ in eu-west-1/);
    expect(await tables('us-east-1')).toEqual([]);
    expect(await tables('eu-west-1')).toEqual([]);
  }, 60_000);
});
