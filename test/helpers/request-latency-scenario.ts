/** Two invocations at the same instant in two regions; the application's calls take `latency` each. */
export const interleavingYaml = (latency: string) => `
name: request latency
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 1000 } }
application: { strategy: version, idempotency: local${latency ? `, requestLatency: ${latency}` : ''} }
steps:
  - at: 0
    event: { id: e1, region: us-east-1, key: k-1, item: ORDER#1, data: { status: placed } }
  - at: 0
    event: { id: e2, region: eu-west-1, key: k-2, item: ORDER#2, data: { status: placed } }
`;
