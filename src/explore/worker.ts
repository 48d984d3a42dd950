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
  // Blocks run one after another (runs with a team's module must take turns), while the next one
  // already waits here: the main thread keeps two in flight, so this thread never idles waiting
  // for it to be scheduled (on two cores, busy workers leave it little time).
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (request: BlockRequest) => {
    queue = queue.then(() => runner.runBlock(request.indexes, request.keepGoing)).then(
      (outcomes) => port.postMessage({ id: request.id, outcomes }),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { name: 'Error', message: String(error) } }),
    );
  });
  // loaded: the main thread sends blocks from now on (workerRunners waits for this)
  port.postMessage({ ready: true });
}
