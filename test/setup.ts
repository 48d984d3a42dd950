// Every test worker: the AWS SDK's Node-version notice is silenced exactly as the CLI does it.
import { silenceSdkNodeNotice } from '../src/backends/dynamodb/sdk-notice.js';

silenceSdkNodeNotice();
