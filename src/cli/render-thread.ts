// Rendering digest variants in a worker thread, for `digest send`: React and the templates load into that
// thread's heap, which is freed as soon as planning is over, so the process that then sends to 100,000
// readers carries none of it. The thread runs the built program's own entry point
// (dist/digest.js), which hands over to serveRenders() when it is not the main thread.
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import type { ContentRenderer, RenderedContent } from '../services/freeze-edition.js';
import { UsageError } from './context.js';

type RendererConfig = Pick<Config, 'publicUrl' | 'postalAddress'>;
type RenderInput = Parameters<ContentRenderer['render']>[0];

interface Request {
  readonly id: number;
  readonly input: RenderInput;
}

type Answer =
  | { readonly id: number; readonly content: RenderedContent }
  | { readonly id: number; readonly error: string };

/** The sentence a failed render becomes: what happened, that nothing was sent, and what to do. */
export function renderFailure(why: string): string {
  return `The digest could not be rendered: its render thread ${why}. Nothing was sent; run the command again, and if it happens again, report it with the week's number of comparisons.`;
}

/** How a render thread's fault reads in that sentence. */
export function threadFault(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'ran out of memory';
  const message = error instanceof Error ? error.message : String(error);
  return `failed (${message.split('\n')[0]})`;
}

/** What the worker thread does: render each variant it is sent, until it is terminated. */
export async function serveRenders(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveRenders runs in a worker thread');
  const { renderDigestContent } = await import('../services/digest-renderer.js');
  const config = (workerData as { config: RendererConfig }).config;
  port.on('message', ({ id, input }: Request) => {
    renderDigestContent(config, input).then(
      (content) => port.postMessage({ id, content } satisfies Answer),
      (error: unknown) => port.postMessage({ id, error: String(error) } satisfies Answer),
    );
  });
}

/**
 * A renderer that renders in a worker thread running `entry`. The thread starts on the first render and is
 * stopped once no render has been asked for during a turn of the event loop (planning renders its variants
 * one after the other, then only sends).
 */
export function threadRenderer(config: RendererConfig, entry: URL): ContentRenderer {
  let worker: Worker | undefined;
  let idle: NodeJS.Immediate | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve(content: RenderedContent): void; reject(error: Error): void }>();

  const start = (): Worker => {
    // It inherits the process's Node flags: the heap bounds of the command's shebang.
    const thread = new Worker(entry, { workerData: { config } });
    thread.on('message', (answer: Answer) => {
      const pending = waiting.get(answer.id);
      waiting.delete(answer.id);
      if ('error' in answer) pending?.reject(new UsageError(renderFailure(`failed (${answer.error})`)));
      else pending?.resolve(answer.content);
    });
    // A thread that dies (out of memory, say) fails the renders it owed as one sentence for the
    // operator: nothing has been written by then, so the send can simply be run again.
    const fail = (why: string) => {
      for (const pending of waiting.values()) pending.reject(new UsageError(renderFailure(why)));
      waiting.clear();
      if (worker === thread) worker = undefined;
    };
    thread.on('error', (error) => fail(threadFault(error)));
    thread.on('exit', (code) => fail(`stopped unexpectedly (exit code ${code})`));
    return thread;
  };

  /** Stops the thread; resolves once it has exited and its heap is gone. */
  const stop = async () => {
    if (idle) clearImmediate(idle);
    idle = undefined;
    const thread = worker;
    worker = undefined;
    await thread?.terminate();
  };

  const stopWhenIdle = () => {
    if (waiting.size > 0) return;
    idle = setImmediate(() => void stop());
  };

  return {
    render(input) {
      if (idle) clearImmediate(idle);
      idle = undefined;
      worker ??= start();
      const id = nextId++;
      const thread = worker;
      return new Promise<RenderedContent>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread.postMessage({ id, input } satisfies Request);
      }).finally(stopWhenIdle);
    },
    release: stop,
  };
}
