-- Analytics, part two: a daily KPI rollup beside the ticket facts, and the facts it needs that
-- were missing (NPS, CSAT answered in a survey, resolution time in business hours).
-- modules/analytics/rollup.ts explains the shape; docs/kpis.md the definitions.

alter table ticket_facts add column nps smallint;
-- working minutes from report to close on the business calendar, suspended working time excluded;
-- null until the ticket is closed (computed in TypeScript with the SLA calendar arithmetic)
alter table ticket_facts add column business_close_minutes double precision;

-- The facts are a projection: emptied here, they are rebuilt with the new columns (and the rollup
-- with them) by the analytics module's start-up backfill.
delete from ticket_facts;

-- One row per China-time day and slice: `dimension` is 'all' (value '') or one KPI filter
-- (region, industry, productModel, category, channel, priority) with its value. A ticket counts
-- once in every slice it belongs to: closure measures on the day it closed, response measures on
-- the day it was created. Every measure is additive, so the facts subscriber maintains the rows by
-- adding a changed ticket's new contribution and subtracting its old one.
create table kpi_daily (
  day date not null,
  dimension text not null,
  value text not null,
  -- closed that day
  closed integer not null,
  fcr integer not null,
  onsite integer not null,
  ftf integer not null,
  resolve_ms bigint not null,
  net_ms bigint not null,
  business_n integer not null,
  business_ms bigint not null,
  resolution_n integer not null,
  resolution_met integer not null,
  csat_n integer not null,
  csat_sum integer not null,
  csat_happy integer not null,
  nps_n integer not null,
  promoters integer not null,
  detractors integer not null,
  repeated integer not null,
  labour_minutes bigint not null,
  travel_minutes bigint not null,
  -- created that day (cancelled tickets left out)
  created integer not null,
  respond_n integer not null,
  respond_ms bigint not null,
  response_n integer not null,
  response_met integer not null,
  -- duration histograms {bucket: tickets} on fixed logarithmic buckets (rollup.ts)
  resolve_hist jsonb not null,
  net_hist jsonb not null,
  business_hist jsonb not null,
  respond_hist jsonb not null,
  primary key (dimension, value, day)
);

-- Adds two sparse histograms bucket by bucket, dropping buckets that cancel out to zero.
create function kpi_histogram_add(a jsonb, b jsonb) returns jsonb
language sql immutable as $$
  select coalesce(jsonb_object_agg(bucket, n), '{}'::jsonb)
  from (select bucket, sum(n::bigint) as n
        from (select * from jsonb_each_text(a) union all select * from jsonb_each_text(b)) x(bucket, n)
        group by bucket having sum(n::bigint) <> 0) y
$$;
