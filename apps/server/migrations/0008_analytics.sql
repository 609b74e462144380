-- Analytics: one fact row per ticket, refreshed from the ticket, its visits and its events whenever
-- the ticket changes (modules/analytics/facts.ts). KPIs aggregate these narrow rows instead of
-- joining tickets, customers, devices, categories, visits and events on every dashboard request.
create table ticket_facts (
  ticket_id uuid primary key references tickets (id),
  created_at timestamptz not null,
  closed_at timestamptz,
  cancelled boolean not null,
  state text not null,
  channel text not null,
  priority text,
  region_code text,
  customer_id uuid,
  industry text,
  customer_tier text,
  product_model_id uuid,
  device_id uuid,
  batch text,
  category_id uuid,
  root_category_id uuid,
  team_id uuid,
  engineer_id uuid,
  -- minutes from report to first response / to resolution / to close; null until they happen
  response_minutes double precision,
  resolve_minutes double precision,
  close_minutes double precision,
  -- time spent suspended (waiting for parts, the customer, …), excluded from net resolution time
  suspended_minutes double precision not null,
  response_met boolean,
  resolution_met boolean,
  visits integer not null,
  reopened boolean not null,
  is_repeat boolean not null,
  -- another ticket repeats this one (same device and category within 30 days of closing)
  repeated boolean not null,
  csat smallint,
  labour_minutes integer not null,
  travel_minutes integer not null,
  fields jsonb not null,
  refreshed_at timestamptz not null
);
create index ticket_facts_closed_idx on ticket_facts (closed_at) where closed_at is not null;
create index ticket_facts_created_idx on ticket_facts (created_at);
create index ticket_facts_open_idx on ticket_facts (state) where closed_at is null and not cancelled;

-- "Is this ticket repeated?" looks up later tickets by the one they repeat.
create index tickets_repeat_of_idx on tickets (repeat_of) where repeat_of is not null;
