/**
 * DynamoDB's JSON 1.0 protocol over HTTP on 127.0.0.1: one port for every region, the region taken
 * from each request's SigV4 credential scope as DynamoDB Local does. Any SDK, the AWS CLI or curl
 * with `--endpoint-url http://127.0.0.1:PORT` talks to it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EndpointResolver } from './endpoint.js';
import { DynamoDBError } from './errors.js';
import { dispatch, errorResponse, internalFailureResponse, requestIdSequence, type WireResponse } from './wire.js';

/** DynamoDB's largest request (BatchWriteItem, TransactWriteItems) is 16 MB; a larger body is drained, not kept, and refused. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface HttpServerOptions {
  endpointFor: EndpointResolver;
  /** 0 picks a free port (the default); the bound one is in the result. */
  port?: number;
  /** Region of a request without a SigV4 signature (e.g. plain curl); default `us-east-1`. */
  defaultRegion?: string;
  /** Told about a failure behind an endpoint that is not a DynamoDBError (answered as 500 InternalFailure). */
  onInternalError?: (error: unknown) => void;
}

export interface DynamoDBHttpServer {
  /** `http://127.0.0.1:PORT`, for an SDK's `endpoint` or the CLI's `--endpoint-url`. */
  url: string;
  port: number;
  /** Stops listening, ends open connections and resolves once the server is closed. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1.
 *
 * @example
 * ```ts
 * const server = await startDynamoDBHttpServer({ endpointFor: (region) => replicas.get(region)!, port: 0 });
 * const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: server.url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * // ...
 * await server.close();
 * ```
 */
export async function startDynamoDBHttpServer(options: HttpServerOptions): Promise<DynamoDBHttpServer> {
  const nextRequestId = requestIdSequence();
  const defaultRegion = options.defaultRegion ?? 'us-east-1';

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = nextRequestId();
    const body = await readBody(req);
    if (body === undefined) {
      send(res, errorResponse(new DynamoDBError('ValidationException', `Request size exceeded ${MAX_REQUEST_BYTES} bytes`), requestId), true);
      return;
    }
    let wire: WireResponse;
    try {
      wire = await dispatch({ headers: req.headers, body }, { endpointFor: options.endpointFor, defaultRegion, requestId });
    } catch (error) {
      options.onInternalError?.(error);
      wire = internalFailureResponse(requestId);
    }
    send(res, wire, false);
  };

  const server: Server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      options.onInternalError?.(error);
      if (!res.headersSent) send(res, internalFailureResponse(nextRequestId()), true);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections (every SDK keeps its sockets) would hold close() open.
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://127.0.0.1:${port}`, port, close };
}

/** The body's bytes, or undefined when it is larger than DynamoDB accepts. */
function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.once('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, wire: WireResponse, closeConnection: boolean): void {
  if (closeConnection) res.setHeader('connection', 'close');
  res.writeHead(wire.status, wire.headers);
  res.end(wire.body);
}
