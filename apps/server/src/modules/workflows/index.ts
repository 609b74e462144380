/**
 * workflows — ticket types (repair, installation, inspection, consultation, preventive
 * maintenance) and their versioned workflows: stages over the canonical lifecycle, transitions
 * with roles, required fields and guards. A draft is edited freely and activated only when
 * `workflowProblems` (contracts) finds nothing; a ticket keeps the version it was created with.
 * The tickets service asks `engine.ts` which transition a command takes.
 */
import {
  ActivateDraft,
  CreateDraft,
  IdParams,
  SaveDraft,
  TicketType,
  TicketTypeInfo,
  WORKFLOW_MESSAGES,
  WorkflowVersion,
  WorkflowVersionSummary,
} from '@serviceloop/contracts';
import { z } from 'zod';
import type { HttpModule } from '../../platform/http/app';
import { registerMessages, translate } from '../../platform/i18n';
import type { Platform } from '../../platform/index';
import type { FormsModule } from '../forms/index';
import { type Access, needs } from '../identity/index';
import { WorkflowStore } from './store';

export {
  failedGuards,
  type GuardFacts,
  mayTake,
  missingFields,
  stageOf,
  transitionForAction,
  transitionsFrom,
} from './engine';
export type { UsedVersion, WorkflowStore } from './store';

/**
 * Version 1 of the repair workflow (0017_workflows.sql): its stage keys are the lifecycle states,
 * so closed history written in bulk (demo history, imports) stands on it at stage `closed`.
 */
export const REPAIR_V1 = '01900000-0000-7000-8000-000000000001';

registerMessages(WORKFLOW_MESSAGES);
registerMessages({
  'entity.workflow': { 'zh-CN': '流程版本', 'en-US': 'Workflow version' },
  'workflow.invalid': {
    'zh-CN': '流程有 {count} 个问题，不能启用',
    'en-US': 'The workflow has {count} problem(s) and cannot be activated',
  },
  'workflow.draft_exists': {
    'zh-CN': '该工单类型已有一个草稿',
    'en-US': 'This ticket type already has a draft',
  },
  'workflow.not_a_draft': {
    'zh-CN': '只有草稿可以修改（此版本为 {status}）',
    'en-US': 'Only a draft can be changed (this version is {status})',
  },
  'workflow.no_transition': {
    'zh-CN': '当前流程阶段“{stage}”不允许“{action}”',
    'en-US': 'The workflow stage “{stage}” does not allow “{action}”',
  },
  'workflow.role_not_allowed': {
    'zh-CN': '您的角色不能执行流转“{transition}”',
    'en-US': 'Your role may not take the transition “{transition}”',
  },
  'workflow.guard_failed': {
    'zh-CN': '流转“{transition}”的条件未满足：{guard}',
    'en-US': 'The transition “{transition}” needs: {guard}',
  },
  'workflow.outcome_mismatch': {
    'zh-CN': '执行后工单将处于“{produced}”，与流转“{transition}”的目标阶段不符',
    'en-US': 'The ticket would end up “{produced}”, which is not where “{transition}” leads',
  },
  'workflow.ticket_ended': {
    'zh-CN': '工单已挂起或取消，先恢复再流转',
    'en-US': 'The ticket is suspended or cancelled; resume it before moving it on',
  },
});

export interface WorkflowsModule {
  http: HttpModule;
  store: WorkflowStore;
}

export function createWorkflowsModule(
  platform: Platform,
  access: Access,
  forms: Pick<FormsModule, 'fieldKeys'>,
): WorkflowsModule {
  const store = new WorkflowStore(platform, forms);
  const localised = <T extends { problems: { path: string; code: string; params?: Record<string, unknown> }[] }>(
    v: T,
    locale: 'zh-CN' | 'en-US',
  ) => ({
    ...v,
    problems: v.problems.map((p) => ({ path: p.path, code: p.code, message: translate(p.code, locale, p.params) })),
  });
  return {
    store,
    http: {
      name: 'workflows',
      routes: (app) => {
        const tags = ['workflows'];
        app.get(
          '/workflows/types',
          { config: needs('workflow', 'read'), schema: { tags, response: { 200: z.array(TicketTypeInfo) } } },
          async () => store.types(platform.db),
        );
        app.get(
          '/workflows/versions',
          {
            config: needs('workflow', 'read'),
            schema: {
              tags,
              querystring: z.object({ type: TicketType }),
              response: { 200: z.array(WorkflowVersionSummary) },
            },
          },
          async (request) => store.versions(platform.db, request.query.type),
        );
        app.post(
          '/workflows/versions',
          {
            config: needs('workflow', 'create'),
            schema: { tags, body: CreateDraft, response: { 201: WorkflowVersion } },
          },
          async (request, reply) => {
            const { ticketType, definition } = request.body;
            const draft = await store.createDraft(ticketType, definition, access.actor(request));
            return reply.status(201).send(localised(draft, request.locale) as never);
          },
        );
        app.get(
          '/workflows/versions/:id',
          { config: needs('workflow', 'read'), schema: { tags, params: IdParams, response: { 200: WorkflowVersion } } },
          async (request) => localised(await store.version(platform.db, request.params.id), request.locale) as never,
        );
        app.put(
          '/workflows/versions/:id',
          {
            config: needs('workflow', 'update'),
            schema: { tags, params: IdParams, body: SaveDraft, response: { 200: WorkflowVersion } },
          },
          async (request) => {
            const saved = await store.saveDraft(
              request.params.id,
              request.body.revision,
              request.body.definition,
              access.actor(request),
            );
            return localised(saved, request.locale) as never;
          },
        );
        app.post(
          '/workflows/versions/:id/activate',
          {
            config: needs('workflow', 'update'),
            schema: { tags, params: IdParams, body: ActivateDraft, response: { 200: WorkflowVersion } },
          },
          async (request) => {
            const active = await store.activate(request.params.id, request.body.revision, access.actor(request));
            return localised(active, request.locale) as never;
          },
        );
        app.delete(
          '/workflows/versions/:id',
          {
            config: needs('workflow', 'delete'),
            schema: { tags, params: IdParams, querystring: z.object({ revision: z.coerce.number().int().min(1) }) },
          },
          async (request, reply) => {
            await store.discardDraft(request.params.id, request.query.revision, access.actor(request));
            return reply.status(204).send();
          },
        );
      },
    },
  };
}
