import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';

// End-to-end: the built bin/geosim serve, as a user starts it, and the AWS SDK v3 over HTTP.

interface Served {
  child: ChildProcess;
  url: string;
  regions: string[];
  stdout: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `geosim serve --port 0 ...` and waits for its first stdout line, which names the URL and the regions. */
async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['bin/geosim', 'serve', '--port', '0', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  running.push(child);
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  // The banner ends with the Ctrl-C hint; the URL is on the first line.
  const first = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      stdout.push(line);
      if (line.startsWith('  Ctrl-C stops')) resolve(stdout[0]!);
    });
    void exited.then((code) => reject(new Error(`geosim serve exited ${code} before listening: ${stderr}`)));
  });
  const m = /^geosim serve: (http:\/\/127\.0\.0\.1:\d+) (\S+)$/.exec(first);
  expect(m, first).not.toBeNull();
  return { child, url: m![1]!, regions: m![2]!.split(','), stdout, stderr: () => stderr, exited };
}

function client(url: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint: url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
}

/** Polls `read` until `done` holds, or fails at the deadline: no fixed sleeps. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 15_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`not reached within ${deadlineMs}ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ORDERS = {
  TableName: 'Orders',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('geosim serve', () => {
  it('serves two regions on one port: a table created in one exists in both, a write arrives in the other after the lag', async () => {
    const s = await serve(['--regions', 'us-east-1,eu-west-1', '--lag', '2s']);
    expect(s.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(s.stdout[0]).toBe(`geosim serve: ${s.url} us-east-1,eu-west-1`);
    const us = client(s.url, 'us-east-1');
    const eu = client(s.url, 'eu-west-1');
    await us.send(new CreateTableCommand(ORDERS));
    expect((await eu.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableStatus).toBe('ACTIVE');
    expect((await eu.send(new ListTablesCommand({}))).TableNames).toEqual(['GlobalEventTable', 'Orders']);

    await us.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'o-1' }, status: { S: 'new' } } }));
    const written = Date.now();
    // SigV4 routing: the same port answers per signing region. Read at once, well inside the 2s lag.
    expect((await us.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o-1' } } }))).Item?.status).toEqual({ S: 'new' });
    expect((await eu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o-1' } } }))).Item).toBeUndefined();
    const arrived = await eventually(
      () => eu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o-1' } } })),
      (r) => r.Item !== undefined,
    );
    expect(arrived.Item).toEqual({ pk: { S: 'o-1' }, status: { S: 'new' } });
    // It arrived by replication, not at once (lenient: the virtual clock floors wall ms).
    expect(Date.now() - written).toBeGreaterThanOrEqual(1900);

    // A region the session does not serve answers an error naming the regions it does.
    await expect(client(s.url, 'ap-south-1').send(new ListTablesCommand({}))).rejects.toThrow(/no region ap-south-1; it serves us-east-1, eu-west-1/);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('works with DocumentClient, and routes each client to its own region (writes in eu-west-1 replicate to us-east-1)', async () => {
    const s = await serve(['--lag', '300ms', '--time-scale', '1']);
    const eu = DynamoDBDocumentClient.from(client(s.url, 'eu-west-1'));
    const us = DynamoDBDocumentClient.from(client(s.url, 'us-east-1'));
    await eu.send(new PutCommand({ TableName: 'GlobalEventTable', Item: { Id: 'ORDER#1', Data: { status: 'paid', tags: new Set(['a', 'b']) }, Version: 3 } }));
    expect((await eu.send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'ORDER#1' } }))).Item).toEqual({ Id: 'ORDER#1', Data: { status: 'paid', tags: new Set(['a', 'b']) }, Version: 3 });
    const got = await eventually(
      () => us.send(new GetCommand({ TableName: 'GlobalEventTable', Key: { Id: 'ORDER#1' } })),
      (r) => r.Item !== undefined,
    );
    expect(got.Item?.Version).toBe(3);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stdout.at(-1)).toMatch(/^geosim serve: stopped \(SIGTERM\) after \d+ requests, 1 write replicated$/);
  });

  it('stops on SIGHUP (its terminal closed) as on Ctrl-C: the trace is written, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-serve-'));
    const trace = join(dir, 'hangup.json');
    const s = await serve(['--lag', '50ms', '--trace', trace]);
    await client(s.url, 'us-east-1').send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'BEFORE-HANGUP' } } }));
    s.child.kill('SIGHUP');
    expect(await s.exited).toBe(0);
    expect(s.stdout.at(-1)).toMatch(/^geosim serve: stopped \(SIGHUP\) after \d+ requests?, [01] writes? replicated$/);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { scenarios: Array<{ trace: Array<{ kind: string; itemId?: string }> }> };
    expect(doc.scenarios[0]!.trace.map((e) => `${e.kind} ${e.itemId ?? ''}`)).toContain('local-write BEFORE-HANGUP');
  });

  it("applies a scenario's pause fault: the write is held until the pause ends, and its steps are not run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-serve-'));
    const scenario = join(dir, 'paused.yaml');
    writeFileSync(
      scenario,
      `regions: [us-east-1, eu-west-1]
replication:
  lag: { distribution: fixed, ms: 100 }
faults:
  - at: 0
    until: 5s
    pauseReplication: { from: us-east-1, to: eu-west-1 }
steps:
  - at: 0
    put: { region: us-east-1, item: { Id: FROM-STEP } }
`,
    );
    const trace = join(dir, 'session.json');
    const s = await serve([scenario, '--trace', trace]);
    expect(s.stdout.join('\n')).toContain("the scenario's 1 step is not run by serve");
    const us = client(s.url, 'us-east-1');
    const eu = client(s.url, 'eu-west-1');
    await us.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'HELD' } } }));
    const get = () => eu.send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'HELD' } } }));
    // The other direction is not paused: a write in eu-west-1 reaches us-east-1 after its 100ms lag.
    await eu.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'FREE' } } }));
    await eventually(() => us.send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'FREE' } } })), (r) => r.Item !== undefined);
    // ...and by then the held write, with the same lag, would have arrived were the link not paused.
    await new Promise((r) => setTimeout(r, 300));
    expect((await get()).Item).toBeUndefined();
    await eventually(get, (r) => r.Item !== undefined);
    expect((await us.send(new GetItemCommand({ TableName: 'GlobalEventTable', Key: { Id: { S: 'FROM-STEP' } } }))).Item).toBeUndefined();

    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.stdout.at(-1)).toMatch(/^geosim serve: stopped \(SIGINT\) after \d+ requests, 2 writes replicated$/);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { geosim: number; scenarios: Array<{ trace: Array<{ kind: string; itemId?: string }>; regions: string[] }> };
    expect(doc.geosim).toBe(1);
    const kinds = doc.scenarios[0]!.trace.map((e) => `${e.kind} ${e.itemId ?? ''}`.trim());
    expect(kinds).toContain('replication-held HELD');
    expect(kinds).toContain('fault-ended');
    expect(kinds.indexOf('replication-applied HELD')).toBeGreaterThan(kinds.indexOf('fault-ended'));

    // geosim diagram draws the session from the trace file.
    const out = join(dir, 'diagrams');
    const d = spawnSync(process.execPath, ['bin/geosim', 'diagram', trace, '--out', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    const mmd = readFileSync(join(out, 'session.mmd'), 'utf8');
    expect(mmd).toContain('sequenceDiagram');
    expect(mmd).toMatch(/held/);
    expect(mmd).toMatch(/apply HELD/);
  });

  it('the trace is written atomically: stopping leaves the file whole and no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-serve-'));
    const trace = join(dir, 'out.json');
    const s = await serve(['--lag', '100ms', '--trace', trace, '--max-trace-events', '2']);
    const us = client(s.url, 'us-east-1');
    await us.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'A' } } }));
    await us.send(new PutItemCommand({ TableName: 'GlobalEventTable', Item: { Id: { S: 'B' } } }));
    s.child.kill('SIGINT');
    // Over --max-trace-events: the session kept serving, the trace holds the first events, exit 2 names the flag.
    expect(await s.exited).toBe(2);
    // ...and suggests a limit that holds them all: 2 writes (4 events) and what replication added
    const [, total, room] = /the first 2 of (\d+) events; to record them all: --max-trace-events (\d+)/.exec(s.stderr()) ?? [];
    expect(Number(total)).toBeGreaterThanOrEqual(4);
    expect(room).toBe(total);
    const doc = JSON.parse(readFileSync(trace, 'utf8')) as { scenarios: Array<{ trace: unknown[]; stopped?: { limit: string } }> };
    expect(doc.scenarios[0]!.trace).toHaveLength(2);
    expect(doc.scenarios[0]!.stopped?.limit).toBe('trace-events');
    expect(existsSync(join(dir, `.out.json.${s.child.pid}.tmp`))).toBe(false);
  });

  it("the README's transcript is what serve prints for its commands (the AWS CLI's requests, sent with the SDK)", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /### geosim serve\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const args = /^\$ geosim serve (.*)$/m.exec(block)![1]!.split(' ');
    // The commands the transcript runs, in order: each is one request of the AWS CLI.
    expect([...block.matchAll(/^aws dynamodb (\S+)/gm)].map((m) => m[1])).toEqual(['create-table', 'put-item', 'get-item', 'get-item']);
    const dir = mkdtempSync(join(tmpdir(), 'geosim-serve-'));
    // 5 times faster: the lag passes in 2 s of wall time (room for a slow machine), the counts are the same.
    const s = await serve([...args.map((a) => (a === 'session.json' ? join(dir, a) : a)), '--time-scale', '5']);
    const us = client(s.url, 'us-east-1');
    const eu = client(s.url, 'eu-west-1');
    await us.send(new CreateTableCommand(ORDERS));
    await us.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'o-1' }, status: { S: 'new' } } }));
    expect((await eu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o-1' } } }))).Item).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2500));
    expect((await eu.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: 'o-1' } } }))).Item).toBeDefined();
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    const said = (line: string) => line.replaceAll(join(dir, 'session.json'), 'session.json');
    expect(s.stdout.slice(-2).map(said)).toEqual(block.split('\n').filter((l) => /^geosim serve: (wrote|stopped)/.test(l)));
  });
});
