-- Custom fields per ticket type, added by administrators. Values live in tickets.fields under the
-- field's key; changing or retiring a definition never rewrites a ticket (old values stay).
create table form_fields (
  id uuid primary key,
  ticket_type text not null,
  key text not null,
  definition jsonb not null,
  position integer not null default 0,
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create unique index form_fields_key_idx on form_fields (ticket_type, key);
