-- Automation rules (event → condition → action) and the log of their runs. A rule's trigger,
-- condition tree and actions are validated by the shared contract before they are stored; the
-- server compiles them once per change of the rule set.
create table automation_rules (
  id uuid primary key,
  name text not null,
  description text,
  enabled boolean not null default true,
  position integer not null default 100,
  trigger jsonb not null,
  conditions jsonb,
  actions jsonb not null,
  stop_processing boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create index automation_rules_trigger_idx on automation_rules ((trigger ->> 'type')) where enabled;

-- One row per rule an event (or a schedule tick) woke: matched or not, what each action did, how
-- long it took. Runs go with their rule.
create table automation_runs (
  id uuid primary key,
  rule_id uuid not null references automation_rules (id) on delete cascade,
  event_id uuid,
  event_type text not null,
  ticket_id uuid,
  matched boolean not null,
  trace jsonb,
  actions jsonb not null default '[]',
  error text,
  depth integer not null default 0,
  duration_ms double precision not null,
  occurred_at timestamptz not null
);
create index automation_runs_rule_idx on automation_runs (rule_id, occurred_at desc);
create index automation_runs_ticket_idx on automation_runs (ticket_id) where ticket_id is not null;
