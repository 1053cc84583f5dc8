// `npm install` on a fresh clone rewrites package-lock.json when the lockfile's record of the project itself
// disagrees with package.json (a `bin` added to package.json without reinstalling did exactly that): a clean
// clone would then show a change nobody made, and `npm ci` would refuse a lockfile out of sync.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readJson = (name: string) => JSON.parse(readFileSync(new URL(`../${name}`, import.meta.url), 'utf8'));

describe('package-lock.json', () => {
  it('records the project as package.json declares it, so npm install leaves the lockfile unchanged', () => {
    const manifest = readJson('package.json');
    const root = readJson('package-lock.json').packages[''];
    for (const field of ['name', 'version', 'bin', 'engines', 'dependencies', 'devDependencies']) {
      expect(root[field], field).toEqual(manifest[field]);
    }
  });
});
