import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/db/columns';

/** Drizzle's view of 0009_parts.sql. */
export const parts = pgTable('parts', {
  id: uuid('id').primaryKey(),
  sku: text('sku').notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en'),
  compatibleModelIds: jsonb('compatible_model_ids').$type<string[]>().notNull(),
  unitCostFen: bigint('unit_cost_fen', { mode: 'number' }).notNull(),
  unit: text('unit').notNull(),
  serialTracked: boolean('serial_tracked').notNull(),
  active: boolean('active').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const warehouses = pgTable('warehouses', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  regionCode: text('region_code'),
  ownerUserId: uuid('owner_user_id'),
  active: boolean('active').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const stockMovements = pgTable('stock_movements', {
  id: uuid('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  occurredAt: ts('occurred_at').notNull(),
  kind: text('kind').notNull(),
  partId: uuid('part_id').notNull(),
  warehouseId: uuid('warehouse_id').notNull(),
  quantity: integer('quantity').notNull(),
  onHandDelta: integer('on_hand_delta').notNull(),
  reservedDelta: integer('reserved_delta').notNull(),
  defectiveDelta: integer('defective_delta').notNull(),
  unitCostFen: bigint('unit_cost_fen', { mode: 'number' }).notNull(),
  ticketId: uuid('ticket_id'),
  requisitionId: uuid('requisition_id'),
  reservationId: uuid('reservation_id'),
  transferId: uuid('transfer_id'),
  reason: text('reason'),
  serialNumbers: jsonb('serial_numbers').$type<string[] | null>(),
  actorId: uuid('actor_id'),
});

export const stockBalances = pgTable(
  'stock_balances',
  {
    partId: uuid('part_id').notNull(),
    warehouseId: uuid('warehouse_id').notNull(),
    onHand: integer('on_hand').notNull(),
    reserved: integer('reserved').notNull(),
    defective: integer('defective').notNull(),
    lastMovementAt: ts('last_movement_at'),
  },
  (t) => [primaryKey({ columns: [t.partId, t.warehouseId] })],
);

export const reorderPoints = pgTable(
  'reorder_points',
  {
    partId: uuid('part_id').notNull(),
    warehouseId: uuid('warehouse_id').notNull(),
    reorderPoint: integer('reorder_point').notNull(),
    alertRaisedAt: ts('alert_raised_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partId, t.warehouseId] })],
);

export const requisitions = pgTable('requisitions', {
  id: uuid('id').primaryKey(),
  ticketId: uuid('ticket_id').notNull(),
  regionCode: text('region_code'),
  requestedBy: uuid('requested_by').notNull(),
  state: text('state').notNull(),
  approvalMode: text('approval_mode').notNull(),
  approvals: jsonb('approvals').$type<{ capacity: 'keeper' | 'manager'; userId: string; at: string }[]>().notNull(),
  note: text('note'),
  closingReason: text('closing_reason'),
  version: integer('version').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const requisitionLines = pgTable('requisition_lines', {
  id: uuid('id').primaryKey(),
  requisitionId: uuid('requisition_id').notNull(),
  lineNo: integer('line_no').notNull(),
  partId: uuid('part_id').notNull(),
  warehouseId: uuid('warehouse_id').notNull(),
  quantity: integer('quantity').notNull(),
  reservationId: uuid('reservation_id'),
  issuedToWarehouseId: uuid('issued_to_warehouse_id'),
  issuedQuantity: integer('issued_quantity').notNull(),
  consumedQuantity: integer('consumed_quantity').notNull(),
});

export const partsSettings = pgTable('parts_settings', {
  id: boolean('id').primaryKey(),
  requisitionApproval: text('requisition_approval').notNull(),
  version: integer('version').notNull(),
  updatedAt: ts('updated_at').notNull(),
});
