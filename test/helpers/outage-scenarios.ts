/**
 * Two of three regions down while an event arrives in the third, whose Lambda writes the key's
 * idempotency record in its home region (us-east-1, down): a request from another region's Lambda
 * to a region in an outage (the model and the DynamoDB backend must both refuse it).
 */
export const HOME_RECORD_IN_DOWN_REGION = `
regions: [us-east-1, eu-west-1, ap-south-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: client-lww, idempotency: home-region }
faults:
  - { at: 0, until: 10s, outage: { region: us-east-1 } }
  - { at: 0, until: 10s, outage: { region: eu-west-1 } }
steps:
  - { at: 1s, event: { id: k1, region: ap-south-1, item: "O#1", data: { a: 1 } } }
`;
