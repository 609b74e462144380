-- Fault tickets (工单): the standard fault report, its lifecycle, visits, links and attachments.

create table fault_categories (
  id uuid primary key,
  code text not null unique,
  parent_id uuid references fault_categories (id),
  name_zh text not null,
  name_en text not null,
  sort integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null
);

-- Free-text problem types as people write them, normalised, mapped to one category (seed 004).
create table fault_synonyms (
  normalised text primary key,
  phrase text not null,
  category_id uuid not null references fault_categories (id),
  created_at timestamptz not null
);

create table tickets (
  id uuid primary key,
  number text not null unique,
  version integer not null default 1,
  type text not null default 'repair',
  channel text not null,
  state text not null,
  suspended_from text,
  priority text,
  severity text not null,
  service_type text not null,
  -- who and where
  customer_id uuid,
  contact_name text not null,
  contact_phone text,
  contact_email text,
  site_id uuid,
  service_address text,
  region_code text,
  -- what
  product_model_id uuid,
  device_id uuid,
  serial_number text,
  asset_code text,
  -- An unknown serial number is accepted and flagged for data cleaning, never refused.
  unknown_device boolean not null default false,
  contract_id uuid,
  order_number text,
  warranty_status text,
  fault_at timestamptz,
  title text not null,
  description text not null,
  category_id uuid references fault_categories (id),
  initial_diagnosis text,
  reporter_id uuid,
  reporter_name text,
  reported_at timestamptz not null,
  -- who works it
  assignee_id uuid,
  team_id uuid,
  -- targets and milestones
  response_due_at timestamptz,
  resolution_due_at timestamptz,
  first_responded_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  cancelled_at timestamptz,
  -- resolution and confirmation
  resolution jsonb,
  confirmation jsonb,
  csat smallint,
  repeat_of uuid references tickets (id),
  is_repeat boolean not null default false,
  reopen_count integer not null default 0,
  fields jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index tickets_created_idx on tickets (created_at desc, id);
create index tickets_state_priority_idx on tickets (state, priority, created_at desc);
create index tickets_customer_idx on tickets (customer_id, created_at desc);
create index tickets_device_idx on tickets (device_id, created_at desc);
create index tickets_assignee_idx on tickets (assignee_id, state);
create index tickets_region_idx on tickets (region_code, created_at desc);
create index tickets_category_idx on tickets (category_id, created_at desc);
create index tickets_resolution_due_idx on tickets (resolution_due_at) where closed_at is null and cancelled_at is null;

-- Ticket numbers (SV-2026-000123) come from one sequence per year: no row lock, so
-- concurrent intake never queues on a counter. A rolled-back create leaves a gap; numbers
-- are unique, not gapless. Years beyond these are created on first use.
create sequence ticket_number_2024;
create sequence ticket_number_2025;
create sequence ticket_number_2026;
create sequence ticket_number_2027;
create sequence ticket_number_2028;

create table visits (
  id uuid primary key,
  ticket_id uuid not null references tickets (id),
  engineer_id uuid not null,
  planned_start timestamptz not null,
  planned_end timestamptz not null,
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  check_in_location jsonb,
  check_out_location jsonb,
  notes text,
  created_at timestamptz not null
);
create index visits_ticket_idx on visits (ticket_id);
create index visits_engineer_idx on visits (engineer_id, planned_start);

create table ticket_links (
  ticket_id uuid not null references tickets (id),
  linked_ticket_id uuid not null references tickets (id),
  kind text not null check (kind in ('duplicate', 'related', 'follow_up')),
  created_by uuid,
  created_at timestamptz not null,
  primary key (ticket_id, linked_ticket_id)
);

create table attachments (
  id uuid primary key,
  ticket_id uuid not null references tickets (id),
  kind text not null check (kind in ('image', 'video', 'document', 'signature')),
  mime_type text not null,
  size_bytes bigint not null,
  sha256 text not null,
  storage_key text not null,
  thumbnail_key text,
  width integer,
  height integer,
  original_name text not null,
  visibility text not null default 'customer' check (visibility in ('internal', 'customer')),
  uploaded_by uuid,
  created_at timestamptz not null
);
create index attachments_ticket_idx on attachments (ticket_id);
