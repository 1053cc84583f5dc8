import { describe, expect, it } from 'vitest';
import { cannotRead, fileErrorReason } from '../../src/domain/file-error.js';

const errno = (code: string) => Object.assign(new Error(`${code}: something, open 'x'`), { code });

describe('cannotRead', () => {
  it.each([
    ['ENOENT', 'cannot read notes.md: no such file'],
    ['EACCES', 'cannot read notes.md: permission denied'],
    ['EPERM', 'cannot read notes.md: permission denied'],
    ['EISDIR', 'cannot read notes.md: is a directory'],
    ['ENOTDIR', 'cannot read notes.md: a part of the path is not a directory'],
  ])('%s', (code, sentence) => {
    expect(cannotRead('notes.md', errno(code))).toBe(sentence);
  });

  it('keeps the message of an error it has no words for', () => {
    expect(fileErrorReason(new Error('something odd'))).toBe('something odd');
    expect(fileErrorReason('a string')).toBe('a string');
  });
});
