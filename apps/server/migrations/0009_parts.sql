-- Spare parts (备件): the catalogue, warehouses (headquarters, regional, an engineer's van), an
-- append-only stock ledger with a balance projection kept in the same transaction, reorder
-- points, and requisitions (领料申请) for tickets. Quantities are whole units; money is in fen.

create table parts (
  id uuid primary key,
  sku text not null,
  name_zh text not null,
  name_en text,
  -- Product model ids this part fits (a jsonb array of uuid strings).
  compatible_model_ids jsonb not null default '[]',
  unit_cost_fen bigint not null check (unit_cost_fen >= 0),
  unit text not null,
  serial_tracked boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  constraint parts_sku_key unique (sku)
);
create index parts_compatible_idx on parts using gin (compatible_model_ids);

create table warehouses (
  id uuid primary key,
  code text not null,
  name text not null,
  kind text not null check (kind in ('headquarters', 'regional', 'van')),
  region_code text,
  -- An engineer's van belongs to that engineer.
  owner_user_id uuid references users (id),
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  constraint warehouses_code_key unique (code),
  constraint warehouses_van_owner check (kind <> 'van' or owner_user_id is not null)
);
-- One active van per engineer: issuing "to the engineer's van" must name one place.
create unique index warehouses_one_van_idx on warehouses (owner_user_id) where kind = 'van' and active;

-- The ledger. Every row states its effect on the three quantities explicitly, and the check
-- below ties that effect to the kind, so a sum over the ledger is the stock — no reading of
-- kinds needed, and no row can claim e.g. a receipt that lowers stock.
create table stock_movements (
  id uuid primary key,
  seq bigint generated always as identity unique,
  occurred_at timestamptz not null,
  kind text not null,
  part_id uuid not null references parts (id),
  warehouse_id uuid not null references warehouses (id),
  quantity integer not null check (quantity <> 0),
  on_hand_delta integer not null,
  reserved_delta integer not null,
  defective_delta integer not null,
  -- The part's unit cost when the movement happened: a ticket's parts cost does not change
  -- when the catalogue price does.
  unit_cost_fen bigint not null,
  ticket_id uuid references tickets (id),
  requisition_id uuid,
  -- A release names the reservation (a `reservation` row of this table) it gives back.
  reservation_id uuid references stock_movements (id),
  -- transfer_out and transfer_in of one transfer share this id.
  transfer_id uuid,
  reason text,
  serial_numbers jsonb,
  actor_id uuid,
  constraint stock_movements_effect check (
    case kind
      when 'receipt' then quantity > 0 and on_hand_delta = quantity and reserved_delta = 0 and defective_delta = 0
      when 'issue' then quantity > 0 and on_hand_delta = -quantity and reserved_delta = 0 and defective_delta = 0
      when 'transfer_out' then quantity > 0 and on_hand_delta = -quantity and reserved_delta = 0 and defective_delta = 0 and transfer_id is not null
      when 'transfer_in' then quantity > 0 and on_hand_delta = quantity and reserved_delta = 0 and defective_delta = 0 and transfer_id is not null
      when 'consumption' then quantity > 0 and on_hand_delta = -quantity and reserved_delta = 0 and defective_delta = 0 and ticket_id is not null
      when 'return_defective' then quantity > 0 and on_hand_delta = 0 and reserved_delta = 0 and defective_delta = quantity and ticket_id is not null
      when 'adjustment' then on_hand_delta = quantity and reserved_delta = 0 and defective_delta = 0 and reason is not null
      when 'reservation' then quantity > 0 and on_hand_delta = 0 and reserved_delta = quantity and defective_delta = 0
      when 'release' then quantity > 0 and on_hand_delta = 0 and reserved_delta = -quantity and defective_delta = 0 and reservation_id is not null
      else false
    end
  )
);
create index stock_movements_place_idx on stock_movements (part_id, warehouse_id, occurred_at);
create index stock_movements_ticket_idx on stock_movements (ticket_id) where ticket_id is not null;
create index stock_movements_requisition_idx on stock_movements (requisition_id) where requisition_id is not null;
create index stock_movements_reservation_idx on stock_movements (reservation_id) where reservation_id is not null;
create index stock_movements_occurred_idx on stock_movements (occurred_at);

-- Append-only, enforced by the database: a correction is a new movement, never an edit.
create function stock_movements_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'stock_movements is append-only (% refused)', tg_op using errcode = 'P0001';
end;
$$;
create trigger stock_movements_no_update before update or delete on stock_movements
  for each row execute function stock_movements_append_only();
create trigger stock_movements_no_truncate before truncate on stock_movements
  for each statement execute function stock_movements_append_only();

-- The projection: per (part, warehouse) the ledger's sums, updated in the movement's
-- transaction while this row is locked. It is also the lock every movement of the pair takes.
-- The checks are the last line of defence; the service refuses before reaching them.
create table stock_balances (
  part_id uuid not null references parts (id),
  warehouse_id uuid not null references warehouses (id),
  on_hand integer not null default 0 check (on_hand >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  defective integer not null default 0 check (defective >= 0),
  last_movement_at timestamptz,
  primary key (part_id, warehouse_id),
  constraint stock_balances_available check (reserved <= on_hand)
);
create index stock_balances_warehouse_idx on stock_balances (warehouse_id);

-- Reorder points per (part, warehouse), with the alert they raise: open while available stays
-- below the point, so the reminder is raised once per dip, not on every movement.
create table reorder_points (
  part_id uuid not null references parts (id),
  warehouse_id uuid not null references warehouses (id),
  reorder_point integer not null check (reorder_point >= 0),
  alert_raised_at timestamptz,
  updated_at timestamptz not null,
  primary key (part_id, warehouse_id)
);
create index reorder_points_open_idx on reorder_points (alert_raised_at) where alert_raised_at is not null;

-- Requisitions: an engineer asks for parts for a ticket; approval as configured; issue; use.
create table requisitions (
  id uuid primary key,
  ticket_id uuid not null references tickets (id),
  -- The ticket's region when requested: regional staff see their region's requisitions.
  region_code text,
  requested_by uuid not null references users (id),
  state text not null check (state in ('pending', 'approved', 'rejected', 'issued', 'consumed', 'cancelled')),
  -- The approval rule in force when requested, so changing the setting never strands one.
  approval_mode text not null check (approval_mode in ('keeper', 'manager', 'both')),
  approvals jsonb not null default '[]',
  note text,
  closing_reason text,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index requisitions_ticket_idx on requisitions (ticket_id);
create index requisitions_state_idx on requisitions (state, created_at desc);
create index requisitions_requester_idx on requisitions (requested_by, created_at desc);

create table requisition_lines (
  id uuid primary key,
  requisition_id uuid not null references requisitions (id),
  line_no integer not null,
  part_id uuid not null references parts (id),
  warehouse_id uuid not null references warehouses (id),
  quantity integer not null check (quantity > 0),
  reservation_id uuid references stock_movements (id),
  issued_to_warehouse_id uuid references warehouses (id),
  issued_quantity integer not null default 0,
  consumed_quantity integer not null default 0,
  unique (requisition_id, line_no)
);

-- Per-installation settings of the parts module (one row).
create table parts_settings (
  id boolean primary key default true check (id),
  requisition_approval text not null check (requisition_approval in ('keeper', 'manager', 'both')),
  version integer not null default 1,
  updated_at timestamptz not null
);
