import {
  CreateEngineerProfile,
  EngineerProfile,
  EngineerProfileQuery,
  SetSkillRequirement,
  SkillRequirement,
  UpdateEngineerProfile,
} from '@serviceloop/contracts';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Records } from '../../platform/db/records';
import type { HttpApp } from '../../platform/http/app';
import { crudRoutes } from '../../platform/http/crud';
import type { Platform } from '../../platform/index';
import { existingModelIds } from '../assets/index';
import { invalid } from '../customers/index';
import {
  type Access,
  eventActor,
  needs,
  scopeFilter,
  userIdsNamed,
  userNames,
  userStanding,
  withoutHidden,
} from '../identity/index';
import { faultCategoryExists } from '../tickets/index';
import { engineerProfiles, skillRequirements } from './tables';

type ProfileRow = typeof engineerProfiles.$inferSelect;

const present = (r: ProfileRow, displayName: string): EngineerProfile => ({
  id: r.id,
  userId: r.userId,
  displayName,
  skills: r.skills,
  certifications: r.certifications.map((c) => ({ tag: c.tag, expiresOn: c.expiresOn ?? null })),
  regionCodes: r.regionCodes,
  homeLat: r.homeLat,
  homeLng: r.homeLng,
  workingHours: [...r.workingHours].sort((a, b) => a.weekday - b.weekday),
  capacityJobs: r.capacityJobs,
  capacityHours: r.capacityHours,
  leave: r.leave.map((l) => ({ from: l.from, to: l.to, note: l.note ?? null })),
  costRateFen: r.costRateFen,
  active: r.active,
  version: r.version,
});

/** Engineer profiles (versioned, with history) and the skills each fault category or model needs. */
export function profileRoutes(platform: Platform, access: Access, records: Records<typeof engineerProfiles>) {
  const names = (ids: string[]) => userNames(platform.db, ids);
  const hide = <T extends Record<string, unknown>>(row: T, request: FastifyRequest) =>
    withoutHidden(row, request.grant!);

  return (app: HttpApp) => {
    crudRoutes(app, {
      path: '/engineer-profiles',
      tag: 'field',
      records,
      dto: EngineerProfile,
      create: CreateEngineerProfile,
      update: UpdateEngineerProfile,
      query: EngineerProfileQuery,
      needs: (action) => needs('engineer', action),
      // An engineer reads their own profile; dispatchers and managers read all.
      scope: (request) => scopeFilter(request.grant!, access.actor(request), { owner: engineerProfiles.userId }),
      present: async (row, request) => hide(present(row, (await names([row.userId])).get(row.userId) ?? ''), request),
      presentPage: async (rows, request) => {
        const byId = await names(rows.map((r) => r.userId));
        return rows.map((r) => hide(present(r, byId.get(r.userId) ?? ''), request));
      },
      filters: (q) => [
        q.q ? sql`${engineerProfiles.userId} in (${userIdsNamed(String(q.q))})` : undefined,
        q.skill
          ? sql`(${engineerProfiles.skills} @> ${JSON.stringify([q.skill])}::jsonb or ${engineerProfiles.certifications} @> ${JSON.stringify([{ tag: q.skill }])}::jsonb)`
          : undefined,
        q.regionCode ? sql`${q.regionCode as string} = any(${engineerProfiles.regionCodes})` : undefined,
      ],
      orderBy: [engineerProfiles.createdAt, engineerProfiles.id],
      actor: (request) => eventActor(access.actor(request)),
      check: async (input, _request, before) => {
        if (before) return input;
        const user = await userStanding(platform.db, input.userId as string);
        if (!user?.active || !user.roles.includes('engineer')) throw invalid('userId', 'validation.field.not_engineer');
        // An engineer covers the regions their account has unless the profile says otherwise.
        return { ...input, regionCodes: input.regionCodes ?? user.regionCodes };
      },
    });

    app.get(
      '/skill-requirements',
      { config: needs('engineer', 'read'), schema: { tags: ['field'], response: { 200: z.array(SkillRequirement) } } },
      async () =>
        (
          await platform.db
            .select()
            .from(skillRequirements)
            .orderBy(skillRequirements.subjectKind, skillRequirements.subjectId)
        ).map((r) => ({
          subjectKind: r.subjectKind as 'category' | 'model',
          subjectId: r.subjectId,
          skills: r.skills,
        })),
    );

    app.put(
      '/skill-requirements',
      {
        config: needs('engineer', 'update'),
        schema: { tags: ['field'], body: SetSkillRequirement, response: { 200: SkillRequirement } },
      },
      async (request) => {
        const { subjectKind, subjectId, skills } = request.body;
        const found =
          subjectKind === 'category'
            ? await faultCategoryExists(platform.db, subjectId)
            : (await existingModelIds(platform.db, [subjectId])).has(subjectId);
        if (!found) throw invalid('subjectId', 'validation.reference');
        const now = platform.clock.now();
        await platform.transaction(async (tx) => {
          const key = and(eq(skillRequirements.subjectKind, subjectKind), eq(skillRequirements.subjectId, subjectId));
          if (skills.length === 0) await tx.delete(skillRequirements).where(key);
          else
            await tx
              .insert(skillRequirements)
              .values({ subjectKind, subjectId, skills, updatedAt: now })
              .onConflictDoUpdate({
                target: [skillRequirements.subjectKind, skillRequirements.subjectId],
                set: { skills, updatedAt: now },
              });
          await platform.events.append(tx, {
            type: 'skill_requirement.set',
            entityType: subjectKind === 'category' ? 'fault_category' : 'productModel',
            entityId: subjectId,
            actor: eventActor(access.actor(request)),
            data: { skills },
          });
        });
        return { subjectKind, subjectId, skills };
      },
    );
  };
}
