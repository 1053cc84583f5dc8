// Many lines written to stdout (a listing of a million subscribers) without holding them in memory: lines are
// gathered into pieces of about 64 KB, and each piece waits until the stream has taken the one before
// (its 'drain'), so a slow reader such as `less` or a pipe slows the listing instead of the process growing.
// A reader that goes away early (`digest subscribers list | head -1`) ends the listing quietly: the EPIPE
// is the ordinary end of a pipeline, not a failure to report.

const PIECE_BYTES = 64 * 1024;

export interface LineOutput {
  /** Adds a line; resolves once the stream can take more. */
  line(text: string): Promise<void>;
  /** Writes what is gathered and resolves when the stream has taken it. */
  end(): Promise<void>;
  /** True once the reader has gone away: nothing more will be written. */
  readonly closed: boolean;
}

function isBrokenPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

export function lineOutput(stream: NodeJS.WritableStream): LineOutput {
  let pending: string[] = [];
  let pendingLength = 0;
  let closed = false;
  let failure: unknown;
  // Stays attached: an EPIPE can arrive after the last write, as the process finishes.
  stream.on('error', (error: unknown) => {
    closed = true;
    if (!isBrokenPipe(error)) failure ??= error;
  });

  const flush = async () => {
    if (closed || pending.length === 0) return;
    const piece = pending.join('');
    pending = [];
    pendingLength = 0;
    let accepted: boolean;
    try {
      accepted = stream.write(piece);
    } catch (error) {
      closed = true;
      if (!isBrokenPipe(error)) throw error;
      return;
    }
    if (!accepted && !closed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('error', done);
          stream.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
        stream.on('close', done);
      });
    }
    if (failure) throw failure;
  };

  return {
    async line(text) {
      if (closed) return;
      pending.push(text, '\n');
      pendingLength += text.length + 1;
      if (pendingLength >= PIECE_BYTES) await flush();
    },
    end: flush,
    get closed() {
      return closed;
    },
  };
}
