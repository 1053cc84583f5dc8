import { openDatabase } from '../../src/adapters/database.js';

/** A fresh in-memory database with the real migrations applied. */
export function testDatabase() {
  return openDatabase(':memory:');
}
