import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/own-postgres';
import { DatabaseAvailability, DatabaseUnavailable, outageReason } from './availability';
import { CONNECT_TIMEOUT_MS, openDatabase } from './client';

describe('outageReason', () => {
  it('reads the driver error of a server that refuses, through the query wrapper', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: await freePort(),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    const refused = await client.connect().then(
      () => null,
      (error: unknown) => error,
    );
    expect(outageReason(refused)).toBe('refused');
    // drizzle keeps the driver's error as `cause`
    expect(outageReason(new Error('Failed query: select 1', { cause: refused }))).toBe('refused');
  });

  it('names the SQLSTATEs and driver messages of a server going away', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    expect(outageReason(withCode('57P01'))).toBe('shutting_down');
    expect(outageReason(withCode('57P03'))).toBe('starting');
    expect(outageReason(withCode('08006'))).toBe('lost');
    expect(outageReason(withCode('53300'))).toBe('too_many_connections');
    expect(outageReason(new Error('Connection terminated unexpectedly'))).toBe('lost');
    expect(outageReason(new Error('timeout exceeded when trying to connect'))).toBe('timeout');
    expect(outageReason(new DatabaseUnavailable('timeout'))).toBe('timeout');
  });

  it('leaves every other failure alone', () => {
    expect(outageReason(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(outageReason(new Error('Failed query', { cause: new TypeError('bad') }))).toBeNull();
    expect(outageReason(null)).toBeNull();
    expect(outageReason('Connection terminated')).toBeNull();
  });
});

describe('a server that accepts connections and never answers (a hung host)', () => {
  it('is given up after the connect timeout, as a timeout outage', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = performance.now();
      const failure = await openDatabase({ kind: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/x` }).then(
        () => null,
        (error: unknown) => error,
      );
      const waited = performance.now() - started;
      expect(outageReason(failure)).toBe('timeout');
      expect(waited).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
      expect(waited).toBeLessThan(2_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('DatabaseAvailability', () => {
  it('reports an outage once, from its first failure until a connection succeeds', () => {
    const availability = new DatabaseAvailability();
    const changes: (string | null)[] = [];
    availability.onChange((outage) => changes.push(outage?.reason ?? null));

    expect(availability.noticed(new Error('syntax error'))).toBe(false);
    expect(availability.outage).toBeNull();
    expect(availability.noticed(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(availability.noticed(Object.assign(new Error('x'), { code: '57P03' }))).toBe(true);
    expect(availability.outage).toMatchObject({ reason: 'refused' });
    availability.recovered();
    availability.recovered();
    expect(availability.outage).toBeNull();
    expect(changes).toEqual(['refused', null]);
  });
});
