// What `digest subscribers import` shows while it reads a large file twice: on a terminal, a progress bar
// on stderr (rows checked, by the share of the file read; then rows written, of the good rows); otherwise
// one line per stage on stdout, beside the import's summary, so a log or a cron mail says how far it got.
import type { ReadStream } from 'node:fs';
import { count } from '../domain/plural.js';
import type { CsvImportProgress } from '../services/subscribers.js';
import type { CliContext } from './context.js';
import { loadSingleBar } from './progress-bar.js';

export interface ImportProgressDisplay {
  /** Remembers the stream being read, to show how much of the file the checking pass has read. */
  track(stream: ReadStream): ReadStream;
  readonly callbacks: CsvImportProgress;
  /** Takes the bar off the terminal before the summary is printed. */
  stop(): void;
}

export async function importProgress(context: CliContext, fileBytes: number): Promise<ImportProgressDisplay> {
  let reading: ReadStream | undefined;
  const track = (stream: ReadStream) => {
    reading = stream;
    return stream;
  };
  const stderr = context.io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (stderr.isTTY !== true) {
    let wrote = false;
    return {
      track,
      callbacks: {
        checked: (rows, done) => {
          if (done) context.print(`Checked ${count(rows, 'row')}.`);
        },
        written: (rows, total) => {
          if (rows < total || wrote) return;
          wrote = true;
          context.print(`Wrote ${count(rows, 'row')}.`);
        },
      },
      stop: () => undefined,
    };
  }
  const SingleBar = await loadSingleBar();
  const options = { stream: stderr, clearOnComplete: true, hideCursor: true };
  const checking = new SingleBar({ ...options, format: ' checking {bar} {percentage}% | {rows} rows' });
  const writing = new SingleBar({
    ...options,
    format: ' writing  {bar} {value}/{total} rows | {eta_formatted} left',
  });
  let stage: 'idle' | 'checking' | 'checked' | 'writing' | 'done' = 'idle';
  const stop = () => {
    if (stage === 'checking') checking.stop();
    if (stage === 'writing') writing.stop();
    stage = 'done';
  };
  return {
    track,
    callbacks: {
      checked: (rows, done) => {
        if (stage === 'idle') {
          checking.start(Math.max(fileBytes, 1), 0, { rows: 0 });
          stage = 'checking';
        }
        if (stage !== 'checking') return;
        checking.update(done ? Math.max(fileBytes, 1) : (reading?.bytesRead ?? 0), { rows });
        if (done) {
          checking.stop();
          stage = 'checked';
        }
      },
      written: (rows, total) => {
        if (stage === 'checked') {
          writing.start(Math.max(total, 1), 0);
          stage = 'writing';
        }
        if (stage === 'writing') writing.update(rows);
      },
    },
    stop,
  };
}
