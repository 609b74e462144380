import type { Action, Me, Resource } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type Language, rememberLanguage } from '../../i18n';
import { ApiError, get, patch, post, setApiLanguage, setCsrfToken } from '../../lib/api';

interface Auth {
  me: Me | null;
  loading: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  setLanguage(lng: Language): Promise<void>;
  /** Whether the policy lets me do this at all (the server still decides per record). */
  can(resource: Resource, action: Action): boolean;
}

const AuthContext = createContext<Auth | null>(null);
const REMEMBERED = 'serviceloop.me';
const remember = (me: Me | null) =>
  me ? localStorage.setItem(REMEMBERED, JSON.stringify(me)) : localStorage.removeItem(REMEMBERED);
const remembered = (): Me | null => {
  const stored = localStorage.getItem(REMEMBERED);
  return stored ? (JSON.parse(stored) as Me) : null;
};
const ME = ['auth', 'me'];

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const { i18n } = useTranslation();
  const { data, isLoading } = useQuery({
    queryKey: ME,
    queryFn: async () => {
      try {
        const found = await get<Me>('/auth/me');
        remember(found);
        return found;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          remember(null);
          return null;
        }
        // No network: the engineer's app still opens on the phone with whom it last knew (the server decides on sync).
        if (error instanceof TypeError) return remembered();
        throw error;
      }
    },
    staleTime: 60_000,
  });
  const me = data ?? null;

  useEffect(() => {
    setCsrfToken(me?.csrfToken ?? null);
    // The profile's language wins once signed in, so it follows the user across browsers.
    if (me && me.locale !== i18n.language) void i18n.changeLanguage(me.locale);
  }, [me, i18n]);

  useEffect(() => {
    setApiLanguage(i18n.language);
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  const login = useCallback(
    async (username: string, password: string) => {
      const signedIn = await post<Me>('/auth/login', { username, password });
      setCsrfToken(signedIn.csrfToken);
      client.setQueryData(ME, signedIn);
      return signedIn;
    },
    [client],
  );

  const logout = useCallback(async () => {
    await post('/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    remember(null);
    client.clear();
    client.setQueryData(ME, null);
  }, [client]);

  const setLanguage = useCallback(
    async (lng: Language) => {
      rememberLanguage(lng);
      await i18n.changeLanguage(lng);
      if (me) client.setQueryData(ME, await patch<Me>('/auth/me/preferences', { locale: lng }));
    },
    [client, i18n, me],
  );

  const can = useCallback(
    (resource: Resource, action: Action) =>
      !!me?.permissions.some((p) => p.resource === resource && p.action === action),
    [me],
  );

  const value = useMemo(
    () => ({ me, loading: isLoading, login, logout, setLanguage, can }),
    [me, isLoading, login, logout, setLanguage, can],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
