-- Housekeeping for years of running (docs/operations.md): the daily clean-up deletes finished
-- jobs, idempotency records, ended sessions and finished outbox rows past their retention, in
-- bounded batches. These indexes let each batch find its oldest rows without scanning the table.
-- The events table (timeline, audit log) is never cleaned up.
create index jobs_finished_idx on jobs (finished_at) where finished_at is not null;
create index jobs_failed_idx on jobs (run_at) where failed;
create index sessions_expires_idx on sessions (expires_at);
create index event_deliveries_dead_idx on event_deliveries (next_attempt_at) where dead;
create index notification_deliveries_finished_idx on notification_deliveries (created_at) where state <> 'pending';

-- China's holiday schedule for years the shipped data (holidays-cn.json) does not carry yet,
-- entered or imported (ICS) by an administrator; a stored year replaces the shipped one.
-- `holidays` and `workdays` are lists of {date, name} (调休上班 days are the workdays).
create table china_holiday_years (
  year integer primary key check (year between 2000 and 2100),
  title text not null default '',
  source text not null check (source in ('entered', 'imported')),
  holidays jsonb not null default '[]',
  workdays jsonb not null default '[]',
  updated_at timestamptz not null,
  version integer not null default 1
);

-- Administrators hear in the app when next year's schedule is missing (from November).
insert into notification_subscriptions (id, event_type, recipient_kind, role, channels, created_at, updated_at) values
  (gen_random_uuid(), 'sla.holidays_missing', 'role', 'admin', '{in_app}', now(), now());
