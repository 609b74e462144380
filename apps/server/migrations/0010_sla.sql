-- SLA: business calendars, policies (priority × customer tier × contract) and one clock per
-- ticket and target (first response, resolution). Clock arithmetic lives in the sla module;
-- the rows record what it decided, so a restart resumes every clock where it was.

create table sla_calendars (
  id uuid primary key,
  code text not null unique,
  name text not null,
  time_zone text not null default 'Asia/Shanghai',
  -- 24×7: every minute counts, holidays included.
  always_on boolean not null default false,
  -- Seven lists of {start, end} ("HH:MM"), Monday first.
  week_hours jsonb not null default '[]',
  -- Apply the State Council's holidays and adjusted working days (holidays-cn.json).
  china_holidays boolean not null default true,
  extra_holidays jsonb not null default '[]',
  extra_workdays jsonb not null default '[]',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);

create table sla_policies (
  id uuid primary key,
  name text not null,
  priority text not null check (priority in ('P0', 'P1', 'P2', 'P3')),
  -- null: any tier / any contract. The most specific active match wins.
  customer_tier text check (customer_tier in ('standard', 'vip')),
  contract_id uuid references service_contracts (id),
  response_minutes integer not null check (response_minutes > 0),
  resolution_minutes integer not null check (resolution_minutes >= response_minutes),
  calendar_id uuid not null references sla_calendars (id),
  warning_percent integer not null default 80 check (warning_percent between 1 and 99),
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
-- One policy per combination, so matching is never ambiguous.
create unique index sla_policies_match_idx on sla_policies (priority, customer_tier, contract_id) nulls not distinct;

create table sla_clocks (
  id uuid primary key,
  ticket_id uuid not null references tickets (id),
  kind text not null check (kind in ('response', 'resolution')),
  policy_id uuid not null references sla_policies (id),
  -- Copied from the policy when the clock starts: later edits of the policy don't move it.
  calendar_id uuid not null references sla_calendars (id),
  target_minutes integer not null,
  warning_percent integer not null,
  started_at timestamptz not null,
  paused_since timestamptz,
  -- Working minutes spent paused, added to the target when due and warning times are computed.
  paused_minutes double precision not null default 0,
  due_at timestamptz not null,
  warn_at timestamptz not null,
  warned_at timestamptz,
  breached_at timestamptz,
  met_at timestamptz,
  -- The ticket was cancelled: the clock no longer runs and is neither met nor due.
  stopped_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (ticket_id, kind)
);
create index sla_clocks_running_due_idx on sla_clocks (due_at) where met_at is null and stopped_at is null;

-- The ticket's next running SLA deadline (null when none runs: untriaged, paused, met, stopped),
-- kept by the sla module, so "nearest to breach first" is an index scan, not a sort of every ticket.
alter table tickets add column sla_due_at timestamptz;
create index tickets_sla_due_idx on tickets (sla_due_at, created_at desc);
