import {
  AutomationRule,
  AutomationRuleQuery,
  AutomationRun,
  AutomationRunQuery,
  CreateAutomationRule,
  DryRunInput,
  DryRunResult,
  IdParams,
  pageOf,
  UpdateAutomationRule,
} from '@serviceloop/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { type Records, searchText } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import { AppError, notFound } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';
import type { RuleDefinition } from './engine';
import { customFields } from './facts';
import type { Automation } from './service';
import { automationRules } from './tables';
import { ruleProblems } from './validate';

type RuleRow = typeof automationRules.$inferSelect;

const present = (r: RuleRow) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: undefined });

/** Custom field kinds by key, so conditions on them are typed like the form. */
async function customKinds(db: Executor): Promise<Map<string, string>> {
  return new Map([...(await customFields(db))].map(([key, f]) => [key, f.kind]));
}

export function automationRoutes(
  platform: Platform,
  access: Access,
  records: Records<typeof automationRules>,
  automation: Automation,
) {
  const tag = 'automation';
  /** Refuses what the schema can't: unknown fields, operators that don't fit, a bad cron. */
  const check = async (input: Record<string, unknown>, _request: unknown, before?: RuleRow) => {
    const merged = { trigger: before?.trigger, conditions: before?.conditions, ...input } as Parameters<
      typeof ruleProblems
    >[0];
    const problems = ruleProblems(merged, await customKinds(platform.db));
    if (problems.length > 0) throw new AppError(400, 'validation.failed', {}, problems);
    return input;
  };

  return async (app: HttpApp) => {
    crudRoutes(app, {
      path: '/automation/rules',
      tag,
      records,
      dto: AutomationRule,
      create: CreateAutomationRule,
      update: UpdateAutomationRule,
      query: AutomationRuleQuery,
      needs: (action) => needs('automationRule', action),
      // Rules are configuration: a grant reaches all of them.
      scope: () => sql`true`,
      present: (row) => present(row),
      filters: (q) => [
        searchText(q.q as string | undefined, automationRules.name),
        q.trigger ? sql`${automationRules.trigger} ->> 'type' = ${q.trigger as string}` : undefined,
      ],
      orderBy: [asc(automationRules.position), asc(automationRules.name)],
      actor: (request) => eventActor(access.actor(request)),
      check,
    });

    const dryRun = async (rule: RuleDefinition, ticketId: string) => {
      const result = await automation.dryRun(rule, ticketId);
      if (!result) throw notFound('ticket');
      return result;
    };

    app.post(
      '/automation/rules/:id/dry-run',
      {
        config: needs('automationRule', 'update'),
        schema: { tags: [tag], params: IdParams, body: DryRunInput, response: { 200: DryRunResult } },
      },
      async (request) => {
        const { ticketId, rule } = request.body;
        const [saved] = await platform.db
          .select()
          .from(automationRules)
          .where(eq(automationRules.id, request.params.id));
        if (!saved) throw notFound('automationRule');
        if (rule) await check(rule as unknown as Record<string, unknown>, request);
        return dryRun({ ...(rule ?? saved), id: saved.id } as RuleDefinition, ticketId);
      },
    );

    app.post(
      '/automation/dry-run',
      {
        config: needs('automationRule', 'update'),
        schema: {
          tags: [tag],
          body: DryRunInput.required({ rule: true }),
          response: { 200: DryRunResult },
        },
      },
      async (request) => {
        const { ticketId, rule } = request.body;
        await check(rule as unknown as Record<string, unknown>, request);
        return dryRun({ ...rule, id: '00000000-0000-0000-0000-000000000000' } as RuleDefinition, ticketId);
      },
    );

    app.get(
      '/automation/rules/:id/runs',
      {
        config: needs('automationRule', 'read'),
        schema: {
          tags: [tag],
          params: IdParams,
          querystring: AutomationRunQuery,
          response: { 200: pageOf(AutomationRun) },
        },
      },
      async (request) => {
        await records.get(request.params.id, sql`true`);
        const q = request.query;
        return automation.runs(
          request.params.id,
          q.page,
          q.pageSize,
          q.matched === undefined ? undefined : q.matched === 'true',
        );
      },
    );
  };
}
