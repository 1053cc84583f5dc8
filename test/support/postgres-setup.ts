// vitest globalSetup of the `postgres` project: one throwaway PostgreSQL server for the whole run (or the
// server DIGEST_TEST_POSTGRES_URL names), and a database migrated once that every test database is copied
// from (CREATE DATABASE ... TEMPLATE), so a test starts from the real schema in a few tens of milliseconds.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/adapters/database.js';
import { startCluster } from './postgres-cluster.js';
import { withDatabase } from './scratch-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The superuser's URL of the test server's `postgres` database. */
    postgresAdminUrl: string;
    /** A database with every migration applied, to copy. */
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.DIGEST_TEST_POSTGRES_URL;
  const cluster = external ? undefined : await startCluster();
  const adminUrl = external ?? cluster?.adminUrl ?? '';
  const template = `digest_template_${process.pid}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const db = await openDatabase(withDatabase(adminUrl, template));
    await db.destroy();
  } finally {
    await admin.end();
  }
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplate', template);
  return async () => {
    if (cluster) return cluster.stop();
    const cleanup = new pg.Client(adminUrl);
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${template} with (force)`);
    await cleanup.end();
  };
}
