import type {
  ApprovalCapacity,
  RequisitionAction,
  RequisitionApproval,
  RequisitionState,
  Role,
} from '@serviceloop/contracts';

/**
 * Who may move a requisition (领料申请) on, decided without I/O. The approval rule is a setting
 * snapshotted on each requisition: a keeper (warehouse role), a manager, or both — and with
 * both, two different people, since one person holding both roles must not wave a request
 * through alone. Nobody approves their own request.
 */

export interface RequisitionFacts {
  state: RequisitionState;
  approvalMode: RequisitionApproval;
  approvals: { capacity: ApprovalCapacity; userId: string }[];
  requestedBy: string;
}

export interface Caller {
  userId: string;
  roles: readonly Role[];
}

export type Decision =
  | { ok: true; capacity?: ApprovalCapacity; next: RequisitionState }
  | { ok: false; status: 403 | 409; code: string };

const NEEDED: Record<RequisitionApproval, ApprovalCapacity[]> = {
  keeper: ['keeper'],
  manager: ['manager'],
  both: ['keeper', 'manager'],
};

export const capacitiesOf = (roles: readonly Role[]): ApprovalCapacity[] => [
  ...(roles.includes('warehouse') ? (['keeper'] as const) : []),
  ...(roles.includes('manager') ? (['manager'] as const) : []),
];

export const missingApprovals = (facts: RequisitionFacts): ApprovalCapacity[] =>
  NEEDED[facts.approvalMode].filter((c) => !facts.approvals.some((a) => a.capacity === c));

const refuse = (status: 403 | 409, code: string): Decision => ({ ok: false, status, code });
const OPEN: RequisitionState[] = ['pending', 'approved'];

export function decide(facts: RequisitionFacts, action: RequisitionAction, caller: Caller): Decision {
  const own = facts.requestedBy === caller.userId;
  const can = capacitiesOf(caller.roles);
  switch (action) {
    case 'approve': {
      if (facts.state !== 'pending') return refuse(409, 'requisition.invalid_state');
      if (own) return refuse(403, 'requisition.own_request');
      if (facts.approvals.some((a) => a.userId === caller.userId)) return refuse(403, 'requisition.already_approved');
      const capacity = missingApprovals(facts).find((c) => can.includes(c));
      if (!capacity) return refuse(403, 'requisition.not_approver');
      const complete = missingApprovals({
        ...facts,
        approvals: [...facts.approvals, { capacity, userId: caller.userId }],
      });
      return { ok: true, capacity, next: complete.length === 0 ? 'approved' : 'pending' };
    }
    case 'reject': {
      if (facts.state !== 'pending') return refuse(409, 'requisition.invalid_state');
      if (own) return refuse(403, 'requisition.own_request');
      if (!NEEDED[facts.approvalMode].some((c) => can.includes(c))) return refuse(403, 'requisition.not_approver');
      return { ok: true, next: 'rejected' };
    }
    case 'issue': {
      if (facts.state !== 'approved') return refuse(409, 'requisition.invalid_state');
      if (!caller.roles.includes('warehouse')) return refuse(403, 'requisition.not_keeper');
      return { ok: true, next: 'issued' };
    }
    case 'consume': {
      if (facts.state !== 'issued') return refuse(409, 'requisition.invalid_state');
      if (!own && !caller.roles.includes('manager')) return refuse(403, 'requisition.not_requester');
      return { ok: true, next: 'consumed' };
    }
    case 'cancel': {
      if (!OPEN.includes(facts.state)) return refuse(409, 'requisition.invalid_state');
      if (!own && !caller.roles.includes('manager') && !caller.roles.includes('warehouse'))
        return refuse(403, 'requisition.not_requester');
      return { ok: true, next: 'cancelled' };
    }
  }
}

export const ACTIONS: RequisitionAction[] = ['approve', 'reject', 'issue', 'consume', 'cancel'];

/** What the UI should offer this caller. */
export const allowedActions = (facts: RequisitionFacts, caller: Caller): RequisitionAction[] =>
  ACTIONS.filter((a) => decide(facts, a, caller).ok);
