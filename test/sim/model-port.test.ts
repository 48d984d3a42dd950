import { ModelTablePort } from '../../src/sim/model-port.js';
import { Rng } from '../../src/sim/rng.js';
import { World } from '../../src/sim/world.js';
import { TraceRecorder } from '../../src/trace/recorder.js';
import { describeTablePortContract } from '../contract/table-port.contract.js';

// The same contract the SDK port passes on DynamoDB Local: the model's replica must behave like a
// single region's DynamoDB table for everything the application relies on.
describeTablePortContract('in-memory replica', async () => {
  const world = new World(
    {
      regions: ['us-east-1', 'eu-west-1'],
      replication: {
        links: [
          { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'fixed', ms: 1000 } },
          { from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'fixed', ms: 1000 } },
        ],
        coalesce: false,
        tieBreak: 'higher-region',
      },
    },
    new Rng(1),
    new TraceRecorder(),
  );
  return { port: new ModelTablePort(world, 'us-east-1'), cleanup: async () => {} };
});
