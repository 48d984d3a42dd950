import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geosim } from '../helpers/cli.js';

/**
 * `geosim run --backend dynamodb` against endpoints that misbehave (issue 10 item 20, review
 * finding 11), through main(argv, io): the servers live in this process and answer while geosim
 * runs. What needs a process of its own (the AWS environment, signals) is in
 * test/e2e/dynamodb-endpoints.test.ts.
 */
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

  it('refuses a --request-timeout it cannot use (exit 2)', async () => {
    const r = await geosim(['run', 'scenarios/concurrent.yaml', '--backend', 'dynamodb', '--endpoint', htmlUrl, '--request-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--request-timeout 30s');
  });
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
