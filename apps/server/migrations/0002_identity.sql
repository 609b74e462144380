-- Identity: users, teams, sessions, API tokens, login throttling, settings (incl. the policy).
create table teams (
  id uuid primary key,
  name text not null unique,
  region_codes text[] not null default '{}',
  created_at timestamptz not null
);

create table users (
  id uuid primary key,
  username text not null,
  display_name text not null,
  email text,
  mobile text,
  password_hash text not null,
  password_changed_at timestamptz not null,
  roles text[] not null,
  team_ids uuid[] not null default '{}',
  region_codes text[] not null default '{}',
  -- Set for customer contacts: the organisation whose data they see.
  customer_id uuid,
  locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en-US')),
  active boolean not null default true,
  last_login_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);
create unique index users_username_idx on users (lower(username));

-- The cookie carries a random secret; only its SHA-256 is stored, so a leaked table opens no session.
create table sessions (
  id_hash text primary key,
  user_id uuid not null references users (id),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key,
  user_id uuid not null references users (id),
  name text not null,
  token_hash text not null unique,
  scopes text[] not null,
  expires_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Failed logins per key (`account:<name>`, `ip:<addr>`), shared by every replica.
create table login_throttle (
  key text primary key,
  failures integer not null,
  window_started_at timestamptz not null,
  locked_until timestamptz
);

-- Versioned settings documents: the permission policy, the password policy, …
create table settings (
  key text primary key,
  value jsonb not null,
  version integer not null default 1,
  updated_at timestamptz not null
);
