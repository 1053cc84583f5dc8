import { describe, expect, it } from 'vitest';
import { databaseLabel, isPostgresUrl, namesPostgresDatabase } from '../../src/domain/database-location.js';

describe('DIGEST_DB locations', () => {
  it.each([
    // location, PostgreSQL?, names a database?, as printed
    ['./data/digest.sqlite', false, false, './data/digest.sqlite'],
    [':memory:', false, false, ':memory:'],
    ['/srv/postgres-notes/digest.sqlite', false, false, '/srv/postgres-notes/digest.sqlite'],
    ['postgres://digest@db.internal/digest', true, true, 'postgres://digest@db.internal/digest'],
    [
      'postgres://digest:s3cret@db.internal:5432/digest',
      true,
      true,
      'postgres://digest:***@db.internal:5432/digest',
    ],
    [
      'POSTGRESQL://digest:p%40ss:word@db/digest?sslmode=require',
      true,
      true,
      'POSTGRESQL://digest:***@db/digest?sslmode=require',
    ],
    [
      'postgres:///digest?host=/var/run/postgresql',
      true,
      true,
      'postgres:///digest?host=/var/run/postgresql',
    ],
    ['postgres://digest:s3cret@db.internal', true, false, 'postgres://digest:***@db.internal'],
  ])('%s', (location, postgres, named, label) => {
    expect(isPostgresUrl(location)).toBe(postgres);
    expect(namesPostgresDatabase(location)).toBe(named);
    expect(databaseLabel(location)).toBe(label);
  });
});
