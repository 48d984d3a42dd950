import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now. DynamoDB Local does not accept `-port 0`, so geosim asks
 * the OS for an ephemeral port, releases it and hands it over (a small race the caller's retry covers).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
