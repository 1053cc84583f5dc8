// Serves the web app with @hono/node-server; close() stops accepting, ends idle keep-alive sockets and waits
// for the work that follows answers already given.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createBackgroundTasks } from '../adapters/background-tasks.js';
import { createApp, type WebDeps } from './app.js';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export function startServer(deps: WebDeps, port: number, hostname = '0.0.0.0'): Promise<RunningServer> {
  const tasks = deps.tasks ?? createBackgroundTasks(deps.log);
  const app = createApp({ ...deps, tasks });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeIdleConnections?.();
            // Sign-ups answered just before the stop still get their confirmation email.
            server.close(() => void tasks.drain().then(done));
          }),
      });
    }) as Server;
    server.once('error', reject);
  });
}
