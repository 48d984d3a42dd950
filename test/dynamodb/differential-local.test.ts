/**
 * Differential test: the model's DynamoDB endpoint against DynamoDB Local, through the same SDK
 * client code (test/dynamodb/differential.ts). CI runs a fixed-seed sample (DIFF_RUNS sequences of
 * DIFF_LENGTH operations, 10 × 30 by default); `DIFF_RUNS=400 npx vitest run <this file>` (or
 * `node bench/fuzz-dynamodb.mjs`) runs ≥ 10,000 and prints the divergence count.
 */
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javaAvailable, useDynamoDbLocal } from '../helpers/dynamodb-local.js';
import { compare, createStreamTableInput, localClient, modelClient, normaliseLocalStream, opArb, readStream, streamComparable, streamsClient, tokensOfRun, type Divergence } from './differential.js';

const RUNS = Number(process.env.DIFF_RUNS ?? 10);
const LENGTH = Number(process.env.DIFF_LENGTH ?? 30);
const SEED = Number(process.env.DIFF_SEED ?? 20240611);

describe.skipIf(!javaAvailable())('model endpoint vs DynamoDB Local, differential (skipped when Java 17 is not installed; CI installs it)', () => {
  const local = useDynamoDbLocal();

  it(`${RUNS} fixed-seed sequences of ${LENGTH} operations answer the same`, async () => {
    const sequences = fc.sample(fc.array(opArb('Diff'), { minLength: LENGTH, maxLength: LENGTH }), { seed: SEED, numRuns: RUNS });
    const remote = localClient(local().endpoint);
    const remoteStreams = streamsClient(local().endpoint);
    const divergences: Divergence[] = [];
    let operations = 0;
    let records = 0;
    for (const [run, generated] of sequences.entries()) {
      const ops = tokensOfRun(generated, run);
      const { client: model, endpoint } = modelClient();
      const table = createStreamTableInput('Diff');
      await model.send(new CreateTableCommand(table));
      await remote.send(new CreateTableCommand(table));
      const found = await compare(model, remote, ops);
      divergences.push(...found.map((d) => ({ ...d, index: run * LENGTH + d.index })));
      operations += ops.length;
      // the stream after the sequence, read in pages of 1, 3 or 1000 records
      const limit = [1, 3, 1000][run % 3]!;
      const m = streamComparable(await readStream(model, streamsClient(endpoint), 'Diff', limit), ops);
      const fromLocal = await readStream(remote, remoteStreams, 'Diff', limit);
      const l = streamComparable(normaliseLocalStream(fromLocal), ops);
      records += fromLocal.length;
      if (JSON.stringify(m) !== JSON.stringify(l)) divergences.push({ index: run * LENGTH + LENGTH - 1, op: { op: 'GetRecords', input: { Limit: limit } }, model: [{ ok: m }], local: [{ ok: l }] });
      await remote.send(new DeleteTableCommand({ TableName: 'Diff' }));
    }
    console.log(`differential: ${operations} operations, ${records} stream records, ${divergences.length} divergences`);
    for (const d of divergences.slice(0, Number(process.env.DIFF_SHOW ?? 10))) console.log(JSON.stringify(d));
    // Local's known deviations are normalised in compare() (docs/dynamodb-local-deviations.md); anything else is a divergence
    expect(divergences).toEqual([]);
  }, 600_000);
});
