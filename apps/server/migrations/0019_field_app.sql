-- The engineer's phone app (/field): accepting or declining a visit, assisting engineers on a
-- visit, and the operations the phone queued while offline, applied once each.

-- An engineer answers a dispatch: accepted, or declined with a reason (the ticket goes back to
-- the dispatcher). A declined visit is history, never counted on the board again.
alter table visits add column accepted_at timestamptz;
alter table visits add column declined_at timestamptz;
alter table visits add column decline_reason text;

-- A visit has one lead (visits.engineer_id) and may have helpers who check in and out themselves.
create table visit_assistants (
  visit_id uuid not null references visits (id),
  engineer_id uuid not null references users (id),
  ticket_id uuid not null references tickets (id),
  checked_in_at timestamptz,
  check_in_location jsonb,
  checked_out_at timestamptz,
  check_out_location jsonb,
  added_by uuid,
  added_at timestamptz not null,
  primary key (visit_id, engineer_id)
);
create index visit_assistants_engineer_idx on visit_assistants (engineer_id);

-- Every operation a phone sends carries the id the phone gave it. The row is inserted in the same
-- transaction as the operation's effect, so an operation replayed after a lost response finds its
-- first outcome here instead of running twice. Conflicts are kept too: the phone shows them, the
-- engineer discards or retries (a retry is a new operation with a new id).
create table field_sync_ops (
  id uuid primary key,
  user_id uuid not null references users (id),
  ticket_id uuid not null,
  kind text not null,
  base_version integer not null,
  status text not null check (status in ('applied', 'conflict')),
  result jsonb not null,
  created_on_device_at timestamptz,
  received_at timestamptz not null
);
create index field_sync_ops_ticket_idx on field_sync_ops (ticket_id, received_at);
