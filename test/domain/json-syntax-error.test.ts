import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError } from '../../src/domain/comparison-document.js';

describe('describeJsonSyntaxError', () => {
  const messageOf = (text: string) => {
    try {
      JSON.parse(text);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };
  it.each([
    [
      '{\n  "a": 1\n  "b": 2\n}',
      "not valid JSON: line 3, column 3: Expected ',' or '}' after property value",
    ],
    ['{"a": 1,}', 'not valid JSON: line 1, column 9: Expected double-quoted property name'],
    ['', 'not valid JSON: line 1, column 1: Unexpected end of JSON input'],
    ['{\r\n"a": [1,\r\n', 'not valid JSON: line 3, column 1: Unexpected end of JSON input'],
  ])('places %j', (text, expected) => {
    expect(describeJsonSyntaxError(text, messageOf(text))).toBe(expected);
  });
});
