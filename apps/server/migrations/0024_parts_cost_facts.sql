-- Analytics: parts cost joins the service cost per ticket (docs/kpis.md). Each ticket's fact row
-- carries what its parts cost (the rule of modules/parts/cost.ts, computed by the facts statement
-- in modules/analytics/facts.ts), and the daily rollup its additive sum.

alter table ticket_facts add column parts_cost_fen bigint not null default 0;
alter table kpi_daily add column parts_cost_fen bigint not null default 0;

-- The facts are a projection (as in 0020): emptied here, they and the rollup are rebuilt with the
-- new column by the analytics module's start-up backfill. The rollup goes with them, since the
-- backfill adds every ticket it writes to it.
delete from kpi_daily;
delete from ticket_facts;
