import { z } from 'zod';

export type Locale = 'zh-CN' | 'en-US';
export const DEFAULT_LOCALE: Locale = 'zh-CN';

type Dictionary = Record<string, { 'zh-CN': string; 'en-US': string }>;

const messages: Dictionary = {
  'validation.required': { 'zh-CN': '必填', 'en-US': 'Required' },
  'validation.failed': { 'zh-CN': '请求数据有误，请检查标出的字段', 'en-US': 'The request has invalid fields' },
  'validation.unknown_field': {
    'zh-CN': '未知字段（接口不认识此字段，未作任何修改）',
    'en-US': 'Unknown field (not part of this operation; nothing was changed)',
  },
  'validation.unstorable_text': {
    'zh-CN': '文本含有不允许的字符（NUL 空字符或不成对的代理字符）',
    'en-US': 'The text contains characters that cannot be stored (a NUL byte or a lone surrogate)',
  },
  'request.malformed_json': { 'zh-CN': '请求体不是合法的 JSON', 'en-US': 'The request body is not valid JSON' },
  'request.malformed_url': {
    'zh-CN': '请求地址不是合法的 UTF-8 编码',
    'en-US': 'The request URL is not valid UTF-8 percent-encoding',
  },
  'request.body_too_large': {
    'zh-CN': '请求体过大（上限 {limit} 字节）',
    'en-US': 'The request body is too large (limit {limit} bytes)',
  },
  'request.unsupported_media_type': {
    'zh-CN': '不支持的内容类型：{type}',
    'en-US': 'Unsupported content type: {type}',
  },
  'resource.not_found': { 'zh-CN': '{resource}不存在', 'en-US': '{resource} not found' },
  'route.not_found': { 'zh-CN': '接口不存在：{method} {url}', 'en-US': 'No such endpoint: {method} {url}' },
  'resource.conflict': { 'zh-CN': '与现有数据冲突', 'en-US': 'Conflicts with existing data' },
  'resource.stale_version': {
    'zh-CN': '数据已被他人修改（当前版本 {current}），请刷新后重试',
    'en-US': 'Someone else changed this record (now version {current}); reload and try again',
  },
  'resource.duplicate': { 'zh-CN': '{field}已存在', 'en-US': '{field} already exists' },
  'resource.in_use': {
    'zh-CN': '该记录仍被引用，无法删除',
    'en-US': 'This record is still referenced and cannot be deleted',
  },
  'auth.unauthenticated': { 'zh-CN': '请先登录', 'en-US': 'Please sign in' },
  'auth.invalid_credentials': { 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  'auth.throttled': {
    'zh-CN': '尝试次数过多，请 {seconds} 秒后再试',
    'en-US': 'Too many attempts; try again in {seconds} seconds',
  },
  'auth.csrf_failed': {
    'zh-CN': '请求缺少有效的 CSRF 令牌，请刷新页面',
    'en-US': 'Missing or invalid CSRF token; reload the page',
  },
  'auth.forbidden': { 'zh-CN': '没有权限执行此操作', 'en-US': 'You are not allowed to do this' },
  'auth.token_scope': {
    'zh-CN': 'API 令牌缺少权限范围 {scope}',
    'en-US': 'The API token lacks the scope {scope}',
  },
  'auth.password_policy': { 'zh-CN': '密码不符合安全策略', 'en-US': 'The password does not meet the policy' },
  'auth.password_expired': { 'zh-CN': '密码已过期，请修改密码', 'en-US': 'Your password has expired; change it' },
  'idempotency.key_format': {
    'zh-CN': 'Idempotency-Key 须为 1–200 个可见 ASCII 字符',
    'en-US': 'Idempotency-Key must be 1–200 visible ASCII characters',
  },
  'idempotency.key_reused': {
    'zh-CN': '该 Idempotency-Key 已用于另一个不同的请求',
    'en-US': 'This Idempotency-Key was already used for a different request',
  },
  'database.unavailable': {
    'zh-CN': '数据库暂时不可用（{reason}），请稍后重试',
    'en-US': 'The database is unavailable ({reason}); try again shortly',
  },
  'database.outage.refused': { 'zh-CN': '连接被拒绝', 'en-US': 'connection refused' },
  'database.outage.lost': { 'zh-CN': '连接已断开', 'en-US': 'connection lost' },
  'database.outage.timeout': { 'zh-CN': '连接超时', 'en-US': 'connection timed out' },
  'database.outage.unreachable': { 'zh-CN': '无法访问数据库服务器', 'en-US': 'server unreachable' },
  'database.outage.shutting_down': { 'zh-CN': '数据库正在关闭', 'en-US': 'server shutting down' },
  'database.outage.starting': { 'zh-CN': '数据库正在启动或恢复', 'en-US': 'server starting up or recovering' },
  'database.outage.too_many_connections': { 'zh-CN': '连接数已满', 'en-US': 'too many connections' },
  'database.outage.unknown': { 'zh-CN': '数据库未响应', 'en-US': 'not answering' },
  internal: { 'zh-CN': '服务器内部错误，请稍后重试', 'en-US': 'Internal server error; try again later' },
};

/** Modules add the messages of their own error codes and validation keys. */
export function registerMessages(more: Dictionary): void {
  for (const [key, value] of Object.entries(more)) {
    if (messages[key]) throw new Error(`message ${key} defined twice`);
    messages[key] = value;
  }
}

export function hasMessage(key: string): boolean {
  return key in messages;
}

export function translate(key: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = messages[key]?.[locale] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Picks zh-CN or en-US from an Accept-Language header; Chinese first. */
export function localeFrom(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en-US';
  }
  return DEFAULT_LOCALE;
}

const zodLocales = { 'zh-CN': z.locales.zhCN(), 'en-US': z.locales.en() };

/**
 * One field's message in the reader's language: a contract's own message key
 * (e.g. `validation.credit_code`) when it set one, zod's localised wording otherwise.
 */
export function issueMessage(issue: z.core.$ZodIssue, locale: Locale): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) {
    return translate('validation.required', locale);
  }
  if (hasMessage(issue.message)) return translate(issue.message, locale, issue as unknown as Record<string, unknown>);
  const mapped = zodLocales[locale].localeError(issue as unknown as z.core.$ZodRawIssue);
  if (typeof mapped === 'string') return mapped;
  return mapped?.message ?? issue.message;
}
