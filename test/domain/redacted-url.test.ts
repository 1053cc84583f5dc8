import { describe, expect, it } from 'vitest';
import { databaseLabel } from '../../src/domain/database-location.js';
import { redactDatabaseUrl, withoutDatabasePassword } from '../../src/domain/redacted-url.js';

describe('a PostgreSQL URL as it may be shown', () => {
  it.each([
    // location, as shown
    ['postgres://digest:s3cret@127.0.0.1:9700/digest', 'postgres://digest:***@127.0.0.1:9700/digest'],
    ['postgres://digest:pa#ss@127.0.0.1:9700/digest', 'postgres://digest:***@127.0.0.1:9700/digest'],
    ['postgres://digest:pa/ss@127.0.0.1:9700/digest', 'postgres://digest:***@127.0.0.1:9700/digest'],
    ['postgres://digest:pa?ss@127.0.0.1:9700/digest', 'postgres://digest:***@127.0.0.1:9700/digest'],
    ['postgres://digest:p@ss@127.0.0.1:9700/digest', 'postgres://digest:***@127.0.0.1:9700/digest'],
    ['postgres://digest:p:a:ss@db/digest', 'postgres://digest:***@db/digest'],
    ['postgresql://digest:p%40ss%23w@db/digest', 'postgresql://digest:***@db/digest'],
    [
      'POSTGRESQL://digest:#/?@:x@db:5432/digest?sslmode=require',
      'POSTGRESQL://digest:***@db:5432/digest?sslmode=require',
    ],
    ['postgres://digest:@db/digest', 'postgres://digest:***@db/digest'],
    ['postgres://digest@db/digest?password=s3cret', 'postgres://digest@db/digest?password=***'],
    [
      'postgres://digest@db/digest?sslmode=require&Password=s3%26cret&application_name=x',
      'postgres://digest@db/digest?sslmode=require&Password=***&application_name=x',
    ],
    ['postgres://db/digest?pass%77ord=s3cret', 'postgres://db/digest?pass%77ord=***'],
    ['postgres://db/digest?sslpassword=key-pass', 'postgres://db/digest?sslpassword=***'],
    ['postgres://u:a?b@db/digest?password=c', 'postgres://u:***@db/digest?password=***'],
    // Nothing to hide.
    ['postgres://digest@db.internal/digest', 'postgres://digest@db.internal/digest'],
    ['postgres:///digest?host=/var/run/postgresql', 'postgres:///digest?host=/var/run/postgresql'],
    ['./data/digest.sqlite', './data/digest.sqlite'],
    ['/srv/pass:word@host/digest.sqlite', '/srv/pass:word@host/digest.sqlite'],
  ])('%s', (location, shown) => {
    expect(redactDatabaseUrl(location)).toBe(shown);
    expect(databaseLabel(location)).toBe(shown);
  });

  it.each([
    // location, a message quoting it or its password, as shown
    [
      'postgres://digest:pa#ss@db/digest',
      'cannot parse postgres://digest:pa#ss@db/digest',
      'cannot parse postgres://digest:***@db/digest',
    ],
    ['postgres://digest:p%40ss@db/digest', 'bad password "p@ss"', 'bad password "***"'],
    ['postgres://digest@db/digest?password=s3cret', 'password s3cret refused', 'password *** refused'],
    ['./data/digest.sqlite', 'SQLITE_CANTOPEN ./data/digest.sqlite', 'SQLITE_CANTOPEN ./data/digest.sqlite'],
  ])('masks the password of %s inside a message', (location, message, shown) => {
    expect(withoutDatabasePassword(message, location)).toBe(shown);
  });
});
