/**
 * identity — who may do what. Owns users, teams, sessions, API tokens, login throttling,
 * the password policy and the permission policy (role × resource × action → data scope,
 * hidden fields). Every other module authorises through the `Access` it exports.
 */
import { ErrorCode, tokenScopeFor } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import type { HttpModule } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import { registerMessages } from '../../platform/i18n';
import { deleteBatch, type Platform, type RetentionRule } from '../../platform/index';
import type { Access } from './access';
import { passwordExpired } from './passwords';
import { grantFor } from './policy';
import { authenticationHooks, identityRoutes } from './routes';
import { IdentityService } from './service';

export type { Access, Grant, ScopeColumns } from './access';
export { scopeFilter, withoutHidden } from './access';
export { sha256 } from './auth';
export {
  activeUsers,
  activeUsersWithEmail,
  activeWithRole,
  customerLoginsUsing,
  findUser,
  type UserRecord,
  type UserStanding,
  userIdByUsername,
  userIdsNamed,
  userNameOf,
  userNames,
  userStanding,
} from './directory';
export { grantFor } from './policy';
export { needs } from './routes';
export { eventActor, IdentityService } from './service';
export { SettingsStore } from './settings';

registerMessages({
  'entity.user': { 'zh-CN': '用户', 'en-US': 'User' },
  'entity.api_token': { 'zh-CN': 'API 令牌', 'en-US': 'API token' },
  'validation.username': {
    'zh-CN': '用户名只能包含字母、数字、点、下划线和连字符',
    'en-US': 'Username may contain only letters, digits, dots, underscores and hyphens',
  },
  'validation.membership': {
    'zh-CN': '客户联系人须且只能属于一个客户组织，且不能兼任内部角色',
    'en-US': 'A customer contact belongs to exactly one customer organisation and holds no staff role',
  },
  'policy.lockout': {
    'zh-CN': '此权限策略会使管理员无法管理用户或权限',
    'en-US': 'This policy would lock administrators out of managing users or permissions',
  },
  'password.too_short': { 'zh-CN': '密码太短', 'en-US': 'The password is too short' },
  'password.not_complex': {
    'zh-CN': '密码须包含大写字母、小写字母、数字、符号中的至少三类',
    'en-US': 'Use at least three of: upper case, lower case, digits, symbols',
  },
  'password.too_common': {
    'zh-CN': '密码过于常见或包含用户名',
    'en-US': 'The password is too common or contains the username',
  },
});

/** Sessions that expired or were signed out: only the record of a sign-in, kept a while for support. */
const endedSessions: RetentionRule = {
  setting: 'endedSessionsDays',
  name: 'sessions',
  purge: (tx, cutoff, limit) =>
    deleteBatch(
      tx,
      'sessions',
      sql`(expires_at < ${cutoff.toISOString()} or revoked_at < ${cutoff.toISOString()})`,
      limit,
    ),
};

export interface IdentityModule {
  http: HttpModule;
  access: Access;
  service: IdentityService;
}

export function createIdentityModule(platform: Platform): IdentityModule {
  const service = new IdentityService(platform);
  platform.housekeeping.readRetentionFrom(async (tx) => (await service.settings.get('retention', tx)).value);
  platform.housekeeping.register(endedSessions);
  const access: Access = {
    actor(request) {
      if (!request.actor) throw new AppError(401, ErrorCode.unauthenticated);
      return request.actor;
    },
    async authorize(request, resource, action) {
      const actor = access.actor(request);
      if (actor.tokenScopes && !actor.tokenScopes.includes(tokenScopeFor(resource, action))) {
        throw new AppError(403, ErrorCode.tokenScope, { scope: tokenScopeFor(resource, action) });
      }
      const policy = await service.settings.get('policy');
      const grant = grantFor(policy.value, actor.roles, resource, action);
      if (!grant) throw new AppError(403, ErrorCode.forbidden, {}, { resource, action });
      if (actor.kind === 'user') {
        const passwordPolicy = await service.settings.get('passwordPolicy');
        if (passwordExpired(actor.passwordChangedAt, passwordPolicy.value, platform.clock.now())) {
          throw new AppError(403, ErrorCode.passwordExpired);
        }
      }
      return grant;
    },
  };
  return {
    service,
    access,
    http: {
      name: 'identity',
      hooks: authenticationHooks(service, access),
      routes: identityRoutes(platform, service, access),
    },
  };
}
