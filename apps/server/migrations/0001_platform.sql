-- The event backbone (docs/architecture.md §4): one append-only table that is at once
-- the timeline, the audit log, the outbox and the source of analytics projections.
create table events (
  id uuid primary key,
  seq bigint generated always as identity unique,
  occurred_at timestamptz not null,
  type text not null,
  entity_type text not null,
  entity_id text not null,
  actor_kind text not null check (actor_kind in ('user', 'token', 'system', 'anonymous')),
  actor_id uuid,
  visibility text not null default 'internal' check (visibility in ('internal', 'customer')),
  changes jsonb not null default '{}',
  data jsonb not null default '{}',
  request_id text
);
create index events_entity_idx on events (entity_type, entity_id, seq);
create index events_type_idx on events (type, occurred_at);
create index events_actor_idx on events (actor_id, occurred_at);
create index events_occurred_idx on events (occurred_at);

-- Outbox: one row per (event, subscriber) still to deliver, written in the same
-- transaction as the event. A delivered row is deleted in the transaction of the
-- subscriber's own changes, so a crash anywhere redelivers instead of losing.
create table event_deliveries (
  event_id uuid not null references events (id),
  subscriber text not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_error text,
  dead boolean not null default false,
  primary key (subscriber, event_id)
);
create index event_deliveries_due_idx on event_deliveries (next_attempt_at) where not dead;

-- Delayed work (SLA timers, reminders, digests). Claimed with FOR UPDATE SKIP LOCKED.
create table jobs (
  id uuid primary key,
  queue text not null,
  payload jsonb not null default '{}',
  run_at timestamptz not null,
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  locked_until timestamptz,
  last_error text,
  dedupe_key text,
  created_at timestamptz not null,
  finished_at timestamptz,
  failed boolean not null default false
);
create index jobs_due_idx on jobs (run_at) where finished_at is null and not failed;
create unique index jobs_dedupe_idx on jobs (queue, dedupe_key) where dedupe_key is not null and finished_at is null;

-- Recurring schedules: one row per name; the runner advances next_run_at in the same
-- transaction that enqueues the run, so N replicas fire each slot once.
create table job_schedules (
  name text primary key,
  queue text not null,
  every_ms bigint not null check (every_ms > 0),
  payload jsonb not null default '{}',
  next_run_at timestamptz not null
);
