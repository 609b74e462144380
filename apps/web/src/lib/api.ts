import type { FormInstance } from 'antd';

/** An API failure in the server's error model: `{ code, message, details }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let language = 'zh-CN';

/** The session's CSRF token (from /auth/me) and the reader's language, sent on every call. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};
export const setApiLanguage = (lng: string) => {
  language = lng;
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': language };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const payload = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(res.status, payload.code ?? 'unknown', payload.message ?? res.statusText, payload.details);
  return payload as T;
}

/** Headers a raw upload (multipart) needs to pass the same checks as `api()`. */
export const uploadHeaders = (): Record<string, string> => ({
  'accept-language': language,
  ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
});

/**
 * Saves what a POST answers as a file (exports of an unsaved report). The browser's own download
 * (a plain link) is used wherever a GET can name the file.
 */
export async function downloadPost(path: string, body: unknown, fallbackName: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers: {
      'accept-language': language,
      'content-type': 'application/json',
      ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const payload = await res.json().catch(() => ({}));
    throw new ApiError(res.status, payload.code ?? 'unknown', payload.message ?? res.statusText, payload.details);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = encoded ? decodeURIComponent(encoded) : fallbackName;
  link.click();
  URL.revokeObjectURL(url);
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = (path: string) => api<void>('DELETE', path);

/** Builds `?a=1&b=2` from the defined values only. */
export function query(params: Record<string, unknown>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/**
 * Puts the server's field errors under the matching inputs; returns whether any matched,
 * so the caller shows the general message only when the form can't.
 */
export function showFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return false;
  const fields = (error.details as { path?: string; message?: string }[])
    .filter((d) => d.path)
    .map((d) => ({ name: d.path!.split('.'), errors: [d.message ?? error.message] }));
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const known = fields.filter((f) => registered.has(f.name.join('.')));
  if (known.length === 0) return false;
  form.setFields(known);
  return true;
}

/** The general message plus any field messages, for errors no form field can show. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return (error as Error)?.message ?? String(error);
  const details = Array.isArray(error.details)
    ? (error.details as { message?: string }[]).map((d) => d.message).filter(Boolean)
    : [];
  return details.length ? `${error.message}：${details.join('；')}` : error.message;
}
