// The body of one `geosim explore --workers K` thread (built to dist/explore/worker.js). It loads the
// scenario template once, then runs the blocks of run indexes the main thread sends, answering with
// each block's outcomes. Run i's choices come from (seed, i) alone, so which thread runs it changes
// nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { silenceSdkNodeNotice } from '../backends/dynamodb/sdk-notice.js';
import { Explorer, inProcessRunner, type SearchSetup } from './engine.js';

/** A request from the main thread: one block of run indexes. */
export interface BlockRequest {
  id: number;
  indexes: number[];
  keepGoing: boolean;
}

if (parentPort) {
  const port = parentPort;
  silenceSdkNodeNotice();
  const runner = inProcessRunner(new Explorer(workerData as SearchSetup));
  port.on('message', (request: BlockRequest) => {
    runner.runBlock(request.indexes, request.keepGoing).then(
      (outcomes) => port.postMessage({ id: request.id, outcomes }),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) } }),
    );
  });
}
