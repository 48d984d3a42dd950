import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../src/backends/dynamodb/client.js';
import { useDynamoDbLocal } from '../helpers/dynamodb-local.js';

/**
 * The built CLI against endpoints that misbehave (issue 10 item 20). Spawned asynchronously: the
 * servers live in this process and must keep answering while geosim runs.
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

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

const lines = (text: string) => text.trimEnd().split('\n');

describe('geosim run --backend dynamodb against endpoints that misbehave', () => {
  const sockets: Socket[] = [];
  const silent = createTcpServer((socket) => sockets.push(socket)); // accepts, never answers
  const html = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>It works!</body></html>');
  });
  const emptyJson = createHttpServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
    res.end('{}');
  });
  let silentUrl: string;
  let htmlUrl: string;
  let emptyJsonUrl: string;
  beforeAll(async () => {
    [silentUrl, htmlUrl, emptyJsonUrl] = await Promise.all([listen(silent), listen(html), listen(emptyJson)]);
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    silent.close();
    html.close();
    emptyJson.close();
  });

  it('a server that accepts connections and never answers: one line, exit 3, bounded by --request-timeout', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', silentUrl, '--request-timeout', '200ms']);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\) did not answer DescribeTable in time .*raise --request-timeout$/)]);
  });

  it('a plain web server: one line, exit 3', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', htmlUrl]);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/does not answer like DynamoDB \(DescribeTable got HTTP 200 that is not DynamoDB JSON\): check --endpoint$/)]);
  });

  it('a server answering an error DynamoDB never sends: one line, exit 3', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', emptyJsonUrl]);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/does not answer like DynamoDB \(DescribeTable got HTTP 400 with no DynamoDB error\)/)]);
  });

  it('never echoes a password written into the endpoint URL', async () => {
    const withPassword = htmlUrl.replace('http://', 'http://bob:s3cret@');
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', withPassword]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('http://***@127.0.0.1:');
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toContain('bob');
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

  it('refuses a --request-timeout it cannot use (exit 2)', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', htmlUrl, '--request-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--request-timeout 30s');
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

describe('an endpoint answering JSON that is not what DynamoDB answers (review finding 11)', () => {
  const json = (res: import('node:http').ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(body);
  };
  // The reviewer's server: one valid-but-wrong JSON answer to every request.
  const wrong = createHttpServer((req, res) => req.resume().on('end', () => json(res, 200, '{"TableDescription": 5, "Item": "x", "Table": null}')));
  // No table yet; CreateTable "succeeds" without describing the table it made.
  const noDescription = createHttpServer((req, res) =>
    req.resume().on('end', () =>
      String(req.headers['x-amz-target']).endsWith('.CreateTable')
        ? json(res, 200, '{"TableDescription": 5}')
        : json(res, 400, '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}'),
    ),
  );
  let wrongUrl: string;
  let noDescriptionUrl: string;
  beforeAll(async () => {
    [wrongUrl, noDescriptionUrl] = await Promise.all([listen(wrong), listen(noDescription)]);
  });
  afterAll(() => {
    wrong.close();
    noDescription.close();
  });

  // On the original code each ran into the SDK waiter: 120 s, then its internal JSON state.
  it('DescribeTable answered without a table: one line at once, exit 3', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', wrongUrl]);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^the server at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\) does not answer like DynamoDB \(DescribeTable got HTTP 200 without the table's description\): check --endpoint$/),
    ]);
  }, 30_000);

  it('CreateTable answered without the new table: one line at once, exit 3', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', noDescriptionUrl]);
    expect(r.code).toBe(3);
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(/^the server at http:\/\/127\.0\.0\.1:\d+ \(region us-east-1\) does not answer like DynamoDB \(CreateTable got HTTP 200 without the new table's description\): check --endpoint$/),
    ]);
  }, 30_000);
});
