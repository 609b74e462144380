import type { CreateInvitation, Invitation } from '@serviceloop/contracts';
import { nationalMobileCN } from '@serviceloop/contracts';
import { and, count, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Actor } from '../../platform/http/actor';
import { AppError } from '../../platform/http/errors';
import { newId, newSecret } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import type { Mailer } from '../../platform/mail';
import { customerNames, findCustomer } from '../customers/index';
import { customerLoginsUsing, eventActor, type IdentityService, sha256 } from '../identity/index';
import { portalInvitations } from './tables';

type InvitationRow = typeof portalInvitations.$inferSelect;

export function invitationState(row: InvitationRow, now: Date): Invitation['state'] {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt <= now ? 'expired' : 'pending';
}

/**
 * Portal invitations (门户邀请): the account manager names a contact; the contact gets a one-time
 * link (mailed when SMTP is configured, otherwise shown to the staff member to pass on), chooses a
 * password and from then on signs in with the phone number or e-mail address it was invited with.
 */
export class Invitations {
  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
    private readonly mailer: Mailer,
  ) {}

  async create(input: CreateInvitation, actor: Actor, baseUrl: string) {
    const mobile = input.mobile ? nationalMobileCN(input.mobile) : null;
    const email = input.email?.toLowerCase() ?? null;
    await this.assertUnclaimed(mobile, email);
    const now = this.platform.clock.now();
    const token = newSecret();
    const row: InvitationRow = {
      id: newId(now.getTime()),
      customerId: input.customerId,
      contactId: input.contactId ?? null,
      name: input.name,
      mobile,
      email,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      acceptedAt: null,
      revokedAt: null,
      userId: null,
      emailedAt: null,
      createdBy: actor.userId,
      createdAt: now,
    };
    await this.platform.transaction(async (tx) => {
      await tx.insert(portalInvitations).values(row);
      await this.platform.events.append(tx, {
        type: 'portal.invitation_created',
        entityType: 'customer',
        entityId: input.customerId,
        actor: eventActor(actor),
        data: { invitationId: row.id, name: row.name, mobile, email },
      });
    });
    const link = `${baseUrl}/portal/invite/${token}`;
    let emailed = false;
    if (email && this.mailer.configured) {
      // A mail server that is down must not lose the invitation: the link is shown instead.
      emailed = await this.mailer
        .send({
          to: email,
          subject: '服务门户邀请 / Your service portal invitation',
          text: `${row.name}，您好！\n请打开以下链接设置密码，之后即可用手机号或邮箱登录服务门户报修、查询进度：\n${link}\n链接 ${input.expiresInDays} 天内有效，仅可使用一次。\n\nYou are invited to the service portal. Set your password here (valid ${input.expiresInDays} days, once):\n${link}\n`,
        })
        .catch((err) => {
          this.platform.log.warn({ err }, 'invitation mail failed; the link is shown to staff instead');
          return false;
        });
      if (emailed) {
        row.emailedAt = this.platform.clock.now();
        await this.platform.db
          .update(portalInvitations)
          .set({ emailedAt: row.emailedAt })
          .where(eq(portalInvitations.id, row.id));
      }
    }
    return { invitation: (await this.present([row]))[0]!, link, emailed };
  }

  async list(q: { customerId?: string; page: number; pageSize: number }) {
    const where = q.customerId ? eq(portalInvitations.customerId, q.customerId) : undefined;
    const [rows, [total]] = await Promise.all([
      this.platform.db
        .select()
        .from(portalInvitations)
        .where(where)
        .orderBy(desc(portalInvitations.createdAt))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      this.platform.db.select({ n: count() }).from(portalInvitations).where(where),
    ]);
    return { items: await this.present(rows), total: total!.n, page: q.page, pageSize: q.pageSize };
  }

  async revoke(id: string, actor: Actor) {
    const now = this.platform.clock.now();
    const row = await this.platform.transaction(async (tx) => {
      const [revoked] = await tx
        .update(portalInvitations)
        .set({ revokedAt: now })
        .where(
          and(eq(portalInvitations.id, id), isNull(portalInvitations.acceptedAt), isNull(portalInvitations.revokedAt)),
        )
        .returning();
      if (!revoked) {
        const [exists] = await tx
          .select({ id: portalInvitations.id })
          .from(portalInvitations)
          .where(eq(portalInvitations.id, id));
        throw exists
          ? new AppError(409, 'portal.invitation_used')
          : new AppError(404, 'resource.not_found', { resource: 'invitation' });
      }
      await this.platform.events.append(tx, {
        type: 'portal.invitation_revoked',
        entityType: 'customer',
        entityId: revoked.customerId,
        actor: eventActor(actor),
        data: { invitationId: id },
      });
      return revoked;
    });
    return (await this.present([row]))[0]!;
  }

  /** What the invitee sees; an unknown, used, revoked or expired link is the same 404 to a guesser. */
  async preview(token: string) {
    const row = await this.usable(token);
    const customer = await findCustomer(this.platform.db, row.customerId);
    return {
      name: row.name,
      customerName: customer?.name ?? '',
      mobile: row.mobile,
      email: row.email,
      expiresAt: row.expiresAt.toISOString(),
    };
  }

  /**
   * Claims the invitation (once: the conditional update is the lock), then creates the contact's
   * account; if the password is refused the claim is undone so the link still works.
   */
  async accept(token: string, password: string) {
    const invitation = await this.usable(token);
    await this.assertUnclaimed(invitation.mobile, invitation.email);
    const now = this.platform.clock.now();
    const [claimed] = await this.platform.db
      .update(portalInvitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(portalInvitations.id, invitation.id),
          isNull(portalInvitations.acceptedAt),
          isNull(portalInvitations.revokedAt),
          gt(portalInvitations.expiresAt, now),
        ),
      )
      .returning();
    if (!claimed) throw new AppError(404, 'portal.invitation_invalid');
    const username = `contact-${newSecret(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`;
    try {
      const user = await this.identity.createUser(
        {
          username,
          displayName: claimed.name,
          password,
          roles: ['customer'],
          customerId: claimed.customerId,
          mobile: claimed.mobile,
          email: claimed.email,
          teamIds: [],
          regionCodes: [],
          locale: 'zh-CN',
        },
        { kind: 'anonymous', id: null },
      );
      await this.platform.transaction(async (tx) => {
        await tx.update(portalInvitations).set({ userId: user.id }).where(eq(portalInvitations.id, claimed.id));
        await this.platform.events.append(tx, {
          type: 'portal.invitation_accepted',
          entityType: 'customer',
          entityId: claimed.customerId,
          actor: { kind: 'user', id: user.id },
          data: { invitationId: claimed.id, userId: user.id },
        });
      });
      return { username, signInWith: claimed.mobile ?? claimed.email ?? username };
    } catch (error) {
      await this.platform.db
        .update(portalInvitations)
        .set({ acceptedAt: null })
        .where(eq(portalInvitations.id, claimed.id));
      throw error;
    }
  }

  private async usable(token: string): Promise<InvitationRow> {
    const [row] = await this.platform.db
      .select()
      .from(portalInvitations)
      .where(eq(portalInvitations.tokenHash, sha256(token)));
    if (!row || invitationState(row, this.platform.clock.now()) !== 'pending')
      throw new AppError(404, 'portal.invitation_invalid');
    return row;
  }

  /** Phone and e-mail are sign-in names: two active contacts may not share one. */
  private async assertUnclaimed(mobile: string | null, email: string | null) {
    const taken = await customerLoginsUsing(this.platform.db, mobile, email);
    if (taken.length) {
      const path = taken.some((t) => mobile && t.mobile === mobile) ? 'mobile' : 'email';
      throw new AppError(409, 'portal.contact_taken', {}, [{ path, code: 'portal.contact_taken' }]);
    }
  }

  private async present(rows: InvitationRow[]): Promise<Invitation[]> {
    const now = this.platform.clock.now();
    const names = await customerNames(
      this.platform.db,
      rows.map((r) => r.customerId),
    );
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      customerName: names.get(r.customerId) ?? null,
      contactId: r.contactId,
      name: r.name,
      mobile: r.mobile,
      email: r.email,
      state: invitationState(r, now),
      expiresAt: r.expiresAt.toISOString(),
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      emailedAt: r.emailedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
