#!/usr/bin/env node
// Runs the differential test of the model's DynamoDB endpoint against DynamoDB Local with at least
// 10,000 operations (DIFF_RUNS sequences of DIFF_LENGTH) and prints the divergence count. After each
// sequence the table's stream records (GetRecords from TRIM_HORIZON) are compared too; the
// `differential:` line counts them.
// Usage: node bench/fuzz-dynamodb.mjs [runs=340] [length=30]
import { spawnSync } from 'node:child_process';

const runs = process.argv[2] ?? '340';
const length = process.argv[3] ?? '30';
const result = spawnSync('npx', ['vitest', 'run', 'test/dynamodb/differential-local.test.ts'], {
  env: { ...process.env, DIFF_RUNS: runs, DIFF_LENGTH: length, DIFF_SHOW: process.env.DIFF_SHOW ?? '5', NO_COLOR: '1' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const output = `${result.stdout}${result.stderr}`;
for (const line of output.split('\n')) if (line.startsWith('differential:') || line.startsWith('{"index"')) console.log(line.slice(0, 2000));
process.exit(result.status ?? 1);
