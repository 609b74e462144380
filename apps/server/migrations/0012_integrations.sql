-- Historical import (xlsx/csv): each uploaded file is one run, imported all-or-nothing; saved
-- column mappings per entity; and the source keys of imported records, so a second import of
-- the same rows is recognised as a duplicate.

create table import_runs (
  id uuid primary key,
  entity text not null check (entity in ('ticket', 'customer', 'device', 'part')),
  file_name text not null,
  file_format text not null check (file_format in ('xlsx', 'csv')),
  -- The uploaded bytes in file storage (local disk or S3), server-made keys.
  file_key text not null,
  size_bytes bigint not null,
  header_row integer not null,
  headers jsonb not null,
  state text not null check (state in ('uploaded', 'failed', 'imported')),
  row_count integer,
  imported_count integer not null default 0,
  error_count integer not null default 0,
  -- The original rows plus an error column, written when a file was refused.
  error_file_key text,
  mapping jsonb,
  created_by uuid references users (id),
  created_at timestamptz not null,
  finished_at timestamptz
);
create index import_runs_created_idx on import_runs (created_at desc, id);

create table import_mappings (
  entity text primary key check (entity in ('ticket', 'customer', 'device', 'part')),
  -- normalised header text → target field key
  mapping jsonb not null,
  updated_by uuid references users (id),
  updated_at timestamptz not null
);

-- A record's key in the source system (e.g. an old ticket number) → the record it became.
create table imported_records (
  entity text not null,
  source_key text not null,
  record_id uuid not null,
  run_id uuid not null references import_runs (id),
  primary key (entity, source_key)
);

-- Imported history is checked for repeat repairs (same device and fault category closed within
-- 30 days before the report), one index probe per ticket instead of a scan of the device's tickets.
create index tickets_repeat_lookup_idx on tickets (device_id, category_id, closed_at);
