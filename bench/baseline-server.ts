/**
 * The bare baseline `bench:intake` measures beside ServiceLoop in the same run: Fastify and pg with
 * nothing else — no sign-in, validation, rules or subscribers — inserting a ticket row and its event
 * in one prepared statement. What ServiceLoop does per create costs the difference; the ratio says
 * how much of what this machine allows intake reaches. Started as its own process, like the server.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
await pool.query(`
  create table if not exists bare_tickets (id uuid primary key, number bigserial unique, title text not null,
    description text not null, contact_name text, contact_phone text, severity text, channel text,
    state text not null default 'new', created_at timestamptz not null default now());
  create table if not exists bare_events (id uuid primary key default gen_random_uuid(), seq bigserial unique,
    entity_id uuid not null, type text not null, data jsonb not null, occurred_at timestamptz not null default now());
  create index if not exists bare_events_entity on bare_events (entity_id, seq);`);

const app = Fastify();
app.get('/api/health', async () => ({ status: 'ok' }));
app.post('/api/v1/tickets', async (request, reply) => {
  const b = request.body as Record<string, string>;
  const { rows } = await pool.query({
    name: 'create-ticket',
    text: `with t as (insert into bare_tickets (id, title, description, contact_name, contact_phone, severity, channel)
             values (gen_random_uuid(), $1, $2, $3, $4, $5, $6) returning id, number, state, created_at),
           e as (insert into bare_events (entity_id, type, data) select id, 'ticket.created', jsonb_build_object('number', number) from t)
           select * from t`,
    values: [b.title, b.description, b.contactName, b.contactPhone, b.severity, b.channel],
  });
  return reply.status(201).send({ ticket: rows[0] });
});
await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
process.once('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
