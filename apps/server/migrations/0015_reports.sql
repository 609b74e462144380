-- Report builder: saved reports (a query definition and how to draw it) and dashboards that
-- arrange them. Both belong to their author and can be shared with roles.
create table saved_reports (
  id uuid primary key,
  name text not null,
  owner_id uuid not null references users (id),
  definition jsonb not null,
  shared_roles text[] not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create index saved_reports_owner_idx on saved_reports (owner_id);

create table dashboards (
  id uuid primary key,
  name text not null,
  owner_id uuid not null references users (id),
  -- [{ reportId, span }] in display order; span is the card width in 24ths
  layout jsonb not null default '[]',
  shared_roles text[] not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create index dashboards_owner_idx on dashboards (owner_id);
