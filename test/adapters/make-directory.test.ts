import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/adapters/make-directory.js';
import { scratchDir } from '../support/cli.js';

describe('makeDirectory', () => {
  it.each([
    ['a new folder', 'a'],
    ['missing parents', 'a/b/c'],
    ['a folder that exists', '.'],
  ])('creates %s', (_what, relative) => {
    const path = join(scratchDir(), relative);
    makeDirectory(path);
    expect(statSync(path).isDirectory()).toBe(true);
  });

  it('throws EEXIST, naming the file, when a file is in the way of a parent', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => makeDirectory(join(dir, 'file', 'sub'))).toThrow(
      expect.objectContaining({ code: 'EEXIST', path: join(dir, 'file') }),
    );
  });

  it('throws EEXIST when the path itself is a file', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => makeDirectory(join(dir, 'file'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  });

  // Node's recursive mkdir never returns here: mkdir answers ENOENT although /proc exists.
  it('throws ENOENT at once under /proc', () => {
    expect(() => makeDirectory('/proc/nope/deeper')).toThrow(
      expect.objectContaining({ code: 'ENOENT', path: '/proc/nope' }),
    );
    expect(existsSync('/proc/nope')).toBe(false);
  });
});
