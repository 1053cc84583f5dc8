// Serves the web app with @hono/node-server; close() stops accepting and ends idle keep-alive sockets.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type WebDeps } from './app.js';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export function startServer(deps: WebDeps, port: number, hostname = '0.0.0.0'): Promise<RunningServer> {
  const app = createApp(deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeIdleConnections?.();
            server.close(() => done());
          }),
      });
    }) as Server;
    server.once('error', reject);
  });
}
