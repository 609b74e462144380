import { z } from 'zod';
import { PageQuery, patchOf, Timestamp } from './common';

/**
 * Spare parts: the catalogue, warehouses, the stock ledger and requisitions. Quantities are
 * whole units of the part's `unit`; money is integer fen (分), never floating yuan.
 */

const text = (min: number, max: number, key?: string) =>
  z
    .string()
    .trim()
    .min(min, key ? { message: key } : undefined)
    .max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const code = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/, { message: 'validation.code' });
/** One movement moves at most this many units; keeps sums far from integer overflow. */
const MAX_QUANTITY = 1_000_000;
const quantity = z.number().int().min(1).max(MAX_QUANTITY);
const serialNumbers = z.array(text(1, 64)).max(1000).optional();
const reason = text(2, 500, 'validation.reason');
const BoolQuery = z.enum(['true', 'false']);

// ── catalogue ───────────────────────────────────────────────────────────────

export const Part = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    nameZh: z.string(),
    nameEn: z.string().nullable(),
    compatibleModelIds: z.array(z.uuid()),
    unitCostFen: z.number().int(),
    unit: z.string(),
    serialTracked: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Part' });
export type Part = z.infer<typeof Part>;

const partFields = {
  sku: code,
  nameZh: text(1, 200),
  nameEn: optionalText(200),
  compatibleModelIds: z.array(z.uuid()).max(500),
  unitCostFen: z.number().int().min(0).max(1_000_000_000_000),
  unit: text(1, 16),
  serialTracked: z.boolean(),
  active: z.boolean(),
};
export const CreatePart = z.object({
  ...partFields,
  compatibleModelIds: partFields.compatibleModelIds.default([]),
  unit: partFields.unit.default('个'),
  serialTracked: partFields.serialTracked.default(false),
  active: partFields.active.default(true),
});
export type CreatePart = z.input<typeof CreatePart>;
export const UpdatePart = patchOf(z.object(partFields));
export const PartQuery = PageQuery.extend({ modelId: z.uuid().optional(), active: BoolQuery.optional() });

// ── warehouses ──────────────────────────────────────────────────────────────

/** headquarters (总仓), regional (区域仓), van (an engineer's vehicle stock, 车载库). */
export const WarehouseKind = z.enum(['headquarters', 'regional', 'van']);
export type WarehouseKind = z.infer<typeof WarehouseKind>;

export const Warehouse = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: WarehouseKind,
    regionCode: z.string().nullable(),
    ownerUserId: z.uuid().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Warehouse' });
export type Warehouse = z.infer<typeof Warehouse>;

const warehouseFields = {
  code,
  name: text(1, 100),
  kind: WarehouseKind,
  regionCode: z
    .string()
    .regex(/^\d{6}$/, { message: 'validation.region_code' })
    .nullable()
    .optional(),
  ownerUserId: z.uuid().nullable().optional(),
  active: z.boolean(),
};
export const CreateWarehouse = z
  .object({ ...warehouseFields, active: warehouseFields.active.default(true) })
  .refine((w) => w.kind !== 'van' || !!w.ownerUserId, { message: 'validation.parts.van_owner', path: ['ownerUserId'] });
export type CreateWarehouse = z.input<typeof CreateWarehouse>;
export const UpdateWarehouse = patchOf(z.object(warehouseFields));
export const WarehouseQuery = PageQuery.extend({ kind: WarehouseKind.optional(), ownerUserId: z.uuid().optional() });

// ── the ledger ──────────────────────────────────────────────────────────────

/**
 * receipt 入库; issue 出库 (handed out without a van to track it); transfer_out/transfer_in 调拨
 * (always a pair); consumption 消耗 (used on a ticket); return_defective 旧件返还 (the removed
 * part comes back, counted apart from good stock); adjustment 盘点调整 (signed, with a reason);
 * reservation 预留 and release 释放.
 */
export const MovementKind = z.enum([
  'receipt',
  'issue',
  'transfer_out',
  'transfer_in',
  'consumption',
  'return_defective',
  'adjustment',
  'reservation',
  'release',
]);
export type MovementKind = z.infer<typeof MovementKind>;

export const StockMovement = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    occurredAt: Timestamp,
    kind: MovementKind,
    partId: z.uuid(),
    warehouseId: z.uuid(),
    quantity: z.number().int(),
    onHandDelta: z.number().int(),
    reservedDelta: z.number().int(),
    defectiveDelta: z.number().int(),
    unitCostFen: z.number().int(),
    ticketId: z.uuid().nullable(),
    requisitionId: z.uuid().nullable(),
    reservationId: z.uuid().nullable(),
    transferId: z.uuid().nullable(),
    reason: z.string().nullable(),
    serialNumbers: z.array(z.string()).nullable(),
    actorId: z.uuid().nullable(),
  })
  .meta({ id: 'StockMovement' });
export type StockMovement = z.infer<typeof StockMovement>;

export const MovementQuery = PageQuery.extend({
  partId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  ticketId: z.uuid().optional(),
  requisitionId: z.uuid().optional(),
  kind: MovementKind.optional(),
});

const place = { partId: z.uuid(), warehouseId: z.uuid() };

/** What a person may post directly; reservations have their own endpoints, transfers make a pair. */
export const NewMovement = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('receipt'), ...place, quantity, serialNumbers, reason: optionalText(500) }),
  z.object({
    kind: z.literal('adjustment'),
    ...place,
    quantity: z
      .number()
      .int()
      .min(-MAX_QUANTITY)
      .max(MAX_QUANTITY)
      .refine((q) => q !== 0, { message: 'validation.parts.zero_quantity' }),
    reason,
  }),
  z.object({
    kind: z.literal('issue'),
    ...place,
    quantity,
    ticketId: z.uuid().nullable().optional(),
    serialNumbers,
    reason: optionalText(500),
  }),
  z.object({ kind: z.literal('consumption'), ...place, quantity, ticketId: z.uuid(), serialNumbers }),
  z.object({
    kind: z.literal('return_defective'),
    ...place,
    quantity,
    ticketId: z.uuid(),
    serialNumbers,
    reason: optionalText(500),
  }),
  z
    .object({
      kind: z.literal('transfer'),
      partId: z.uuid(),
      fromWarehouseId: z.uuid(),
      toWarehouseId: z.uuid(),
      quantity,
      serialNumbers,
      reason: optionalText(500),
    })
    .refine((t) => t.fromWarehouseId !== t.toWarehouseId, {
      message: 'validation.parts.same_warehouse',
      path: ['toWarehouseId'],
    }),
]);
export type NewMovement = z.input<typeof NewMovement>;

/** The three quantities of one part in one warehouse; available = on hand − reserved. */
export const Balance = z.object({
  partId: z.uuid(),
  warehouseId: z.uuid(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  defective: z.number().int(),
});
export type Balance = z.infer<typeof Balance>;

export const MovementResult = z.object({ movements: z.array(StockMovement), balances: z.array(Balance) });
export type MovementResult = z.infer<typeof MovementResult>;

export const StockLevel = Balance.extend({
  sku: z.string(),
  partName: z.string(),
  unit: z.string(),
  warehouseCode: z.string(),
  warehouseName: z.string(),
  warehouseKind: WarehouseKind,
  reorderPoint: z.number().int().nullable(),
  belowReorder: z.boolean(),
  lastMovementAt: Timestamp.nullable(),
}).meta({ id: 'StockLevel' });
export type StockLevel = z.infer<typeof StockLevel>;

export const StockQuery = PageQuery.extend({
  partId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  belowReorder: BoolQuery.optional(),
});

export const CreateReservation = z.object({ ...place, quantity, ticketId: z.uuid().nullable().optional() });
export const ReleaseReservation = z.object({ quantity: quantity.optional() });
export const Reservation = z
  .object({
    id: z.uuid(),
    partId: z.uuid(),
    warehouseId: z.uuid(),
    quantity: z.number().int(),
    outstanding: z.number().int(),
    ticketId: z.uuid().nullable(),
    requisitionId: z.uuid().nullable(),
    reservedAt: Timestamp,
  })
  .meta({ id: 'Reservation' });
export type Reservation = z.infer<typeof Reservation>;
export const ReservationQuery = PageQuery.extend({
  partId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  open: BoolQuery.optional(),
});

/** The body of 409 `stock.insufficient`: what could have been had. */
export const Shortage = z.object({
  path: z.string().optional(),
  partId: z.uuid(),
  warehouseId: z.uuid(),
  requested: z.number().int(),
  available: z.number().int(),
});
export type Shortage = z.infer<typeof Shortage>;

/** The balances recomputed from the ledger; any difference is listed. */
export const LedgerCheck = z.object({
  checkedAt: Timestamp,
  balances: z.number().int(),
  movements: z.number().int(),
  consistent: z.boolean(),
  mismatches: z.array(
    z.object({
      partId: z.uuid(),
      warehouseId: z.uuid(),
      projected: z.object({ onHand: z.number(), reserved: z.number(), defective: z.number() }),
      ledger: z.object({ onHand: z.number(), reserved: z.number(), defective: z.number() }),
    }),
  ),
  overReleased: z.array(z.uuid()).describe('Reservations released more than they reserved'),
});
export type LedgerCheck = z.infer<typeof LedgerCheck>;

// ── reorder points and reports ──────────────────────────────────────────────

export const SetReorderPoint = z.object({
  ...place,
  /** null removes the reorder point (and any open alert). */
  reorderPoint: z.number().int().min(0).max(MAX_QUANTITY).nullable(),
});

export const ReorderAlert = z
  .object({
    partId: z.uuid(),
    sku: z.string(),
    partName: z.string(),
    warehouseId: z.uuid(),
    warehouseName: z.string(),
    available: z.number().int(),
    reorderPoint: z.number().int(),
    raisedAt: Timestamp,
  })
  .meta({ id: 'ReorderAlert' });
export type ReorderAlert = z.infer<typeof ReorderAlert>;

export const SlowMovingQuery = z.object({ days: z.coerce.number().int().min(1).max(3650).default(180) });
export const SlowMovingItem = z.object({
  partId: z.uuid(),
  sku: z.string(),
  partName: z.string(),
  warehouseId: z.uuid(),
  warehouseName: z.string(),
  onHand: z.number().int(),
  unitCostFen: z.number().int(),
  valueFen: z.number().int(),
  lastMovementAt: Timestamp.nullable(),
});
export const SlowMovingReport = z.object({
  days: z.number().int(),
  since: Timestamp,
  totalValueFen: z.number().int(),
  items: z.array(SlowMovingItem),
});
export type SlowMovingReport = z.infer<typeof SlowMovingReport>;

export const WarehouseStock = z.object({
  warehouseId: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: WarehouseKind,
  parts: z.number().int().describe('Parts with stock on hand'),
  onHand: z.number().int(),
  reserved: z.number().int(),
  defective: z.number().int(),
  valueFen: z.number().int().describe('On hand at current unit cost'),
});
export type WarehouseStock = z.infer<typeof WarehouseStock>;

export const TicketPartsCost = z
  .object({
    ticketId: z.uuid(),
    totalFen: z.number().int(),
    /** Lines from the resolution whose SKU is unknown to the catalogue: they have no cost. */
    unpricedLines: z.number().int(),
    lines: z.array(
      z.object({
        source: z.enum(['ledger', 'resolution']),
        partId: z.uuid().nullable(),
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unitCostFen: z.number().int().nullable(),
        costFen: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'TicketPartsCost' });
export type TicketPartsCost = z.infer<typeof TicketPartsCost>;

// ── requisitions ────────────────────────────────────────────────────────────

/** Who approves a requisition: the warehouse keeper, a manager, or both (each a different person). */
export const RequisitionApproval = z.enum(['keeper', 'manager', 'both']);
export type RequisitionApproval = z.infer<typeof RequisitionApproval>;
export const ApprovalCapacity = z.enum(['keeper', 'manager']);
export type ApprovalCapacity = z.infer<typeof ApprovalCapacity>;

export const PartsSettings = z
  .object({ requisitionApproval: RequisitionApproval, version: z.number().int() })
  .meta({ id: 'PartsSettings' });
export type PartsSettings = z.infer<typeof PartsSettings>;
export const UpdatePartsSettings = z.object({
  requisitionApproval: RequisitionApproval,
  version: z.number().int().min(0),
});

export const RequisitionState = z.enum(['pending', 'approved', 'rejected', 'issued', 'consumed', 'cancelled']);
export type RequisitionState = z.infer<typeof RequisitionState>;
export const RequisitionAction = z.enum(['approve', 'reject', 'issue', 'consume', 'cancel']);
export type RequisitionAction = z.infer<typeof RequisitionAction>;

export const RequisitionLine = z.object({
  id: z.uuid(),
  partId: z.uuid(),
  sku: z.string(),
  partName: z.string(),
  warehouseId: z.uuid(),
  warehouseName: z.string(),
  quantity: z.number().int(),
  reservationId: z.uuid().nullable(),
  issuedToWarehouseId: z.uuid().nullable(),
  issuedQuantity: z.number().int(),
  consumedQuantity: z.number().int(),
});

export const Requisition = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    ticketNumber: z.string(),
    requestedBy: z.uuid(),
    requesterName: z.string(),
    state: RequisitionState,
    approvalMode: RequisitionApproval,
    approvals: z.array(z.object({ capacity: ApprovalCapacity, userId: z.uuid(), at: Timestamp })),
    note: z.string().nullable(),
    closingReason: z.string().nullable(),
    lines: z.array(RequisitionLine),
    allowedActions: z.array(RequisitionAction),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Requisition' });
export type Requisition = z.infer<typeof Requisition>;

export const CreateRequisition = z.object({
  ticketId: z.uuid(),
  note: optionalText(1000),
  lines: z
    .array(z.object({ ...place, quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(50),
});
export type CreateRequisition = z.input<typeof CreateRequisition>;

export const RequisitionQuery = PageQuery.extend({
  state: RequisitionState.optional(),
  ticketId: z.uuid().optional(),
  mine: BoolQuery.optional(),
});

const versioned = { version: z.number().int().min(1) };
export const ApproveRequisition = z.object({ ...versioned, note: optionalText(500) });
export const RejectRequisition = z.object({ ...versioned, reason });
export const IssueRequisition = z.object(versioned);
export const ConsumeRequisition = z.object({
  ...versioned,
  /** Per line, how many were used; lines not named were used in full. Unused stock stays in the van. */
  lines: z
    .array(z.object({ lineId: z.uuid(), quantity: z.number().int().min(0).max(10_000) }))
    .max(50)
    .optional(),
});
export const CancelRequisition = z.object({ ...versioned, reason: optionalText(500) });
