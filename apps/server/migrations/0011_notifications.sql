-- Notifications: the in-app inbox, outbound endpoints (robots, webhooks) and the hosts allowed
-- past the SSRF guard, subscriptions (event → recipient → channels), templates per event and
-- language, per-user preferences, and outbound deliveries with their attempt log.

create table notifications (
  id uuid primary key,
  user_id uuid not null references users (id),
  -- The event it tells of; with user_id it makes a redelivered event land once per person.
  event_id uuid,
  event_type text not null,
  title text not null,
  body text not null,
  link text,
  read_at timestamptz,
  created_at timestamptz not null
);
create unique index notifications_event_user_key on notifications (event_id, user_id);
create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

create table notification_endpoints (
  id uuid primary key,
  kind text not null check (kind in ('wecom', 'dingtalk', 'feishu', 'webhook')),
  name text not null,
  -- Robot URLs carry their credential (key / access_token / hook token): never log this column.
  url text not null,
  -- DingTalk and Feishu signing secret; the webhook's whsec_ secret.
  secret text,
  enabled boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);

-- Hosts an administrator lets through the SSRF guard although they resolve to private,
-- loopback or otherwise internal addresses (an on-premises integration, a test server).
create table notification_allowed_hosts (
  host text primary key,
  created_by uuid,
  created_at timestamptz not null
);

create table notification_subscriptions (
  id uuid primary key,
  event_type text not null,
  recipient_kind text not null
    check (recipient_kind in ('user', 'role', 'assignee', 'reporter', 'customer_contact', 'team_manager', 'endpoint')),
  user_id uuid references users (id),
  role text,
  endpoint_id uuid references notification_endpoints (id),
  channels text[] not null default '{in_app}',
  enabled boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  check (recipient_kind <> 'user' or user_id is not null),
  check (recipient_kind <> 'role' or role is not null),
  check (recipient_kind <> 'endpoint' or endpoint_id is not null)
);
create index notification_subscriptions_event_idx on notification_subscriptions (event_type) where enabled;

create table notification_templates (
  id uuid primary key,
  event_type text not null,
  locale text not null check (locale in ('zh-CN', 'en-US')),
  title text not null,
  body text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1,
  unique (event_type, locale)
);

create table notification_preferences (
  user_id uuid primary key references users (id),
  channels jsonb not null default '{"in_app": true, "email": true, "sms": true}',
  -- "HH:MM" in Asia/Shanghai; start > end spans midnight.
  quiet_start text,
  quiet_end text,
  locale text check (locale in ('zh-CN', 'en-US')),
  updated_at timestamptz not null,
  version integer not null default 1
);

-- One row per outbound message (email, SMS, robot, webhook): a job with its own lease, so the
-- network call happens outside any database transaction.
create table notification_deliveries (
  id uuid primary key,
  -- Stable across retries and manual redelivery: the webhook-id receivers deduplicate on.
  message_id text not null unique,
  event_id uuid,
  event_type text not null,
  channel text not null check (channel in ('email', 'sms', 'wecom', 'dingtalk', 'feishu', 'webhook')),
  endpoint_id uuid references notification_endpoints (id),
  user_id uuid references users (id),
  -- Email address or phone number (person channels); empty for endpoints.
  address text not null default '',
  -- Dedupe key: the event, the channel and whom it goes to. A redelivered event enqueues nothing twice.
  recipient_key text not null,
  title text not null,
  body text not null,
  payload jsonb not null default '{}',
  state text not null default 'pending' check (state in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  max_attempts integer not null,
  run_at timestamptz not null,
  locked_until timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null,
  unique (event_id, channel, recipient_key)
);
create index notification_deliveries_due_idx on notification_deliveries (run_at) where state = 'pending';
create index notification_deliveries_endpoint_idx on notification_deliveries (endpoint_id, run_at) where state = 'pending';
create index notification_deliveries_created_idx on notification_deliveries (created_at desc);

create table notification_attempts (
  id uuid primary key,
  delivery_id uuid not null references notification_deliveries (id),
  endpoint_id uuid,
  -- One send: robot bursts merge several deliveries into one message, sharing a send id.
  send_id uuid not null,
  attempt integer not null,
  at timestamptz not null,
  ok boolean not null,
  status_code integer,
  error text,
  duration_ms integer not null,
  batch_size integer not null default 1
);
create index notification_attempts_delivery_idx on notification_attempts (delivery_id, at);
create index notification_attempts_endpoint_idx on notification_attempts (endpoint_id, at) where endpoint_id is not null;

-- Who hears about what on a fresh installation (admins change it on the notifications page):
-- new tickets reach the service desk; a dispatch reaches the engineer; SLA warnings the engineer
-- and the team's manager, breaches the manager by email too; a resolution the reporter and the
-- customer contact; a reorder alert the warehouse keepers.
insert into notification_subscriptions (id, event_type, recipient_kind, role, channels, created_at, updated_at) values
  (gen_random_uuid(), 'ticket.created', 'role', 'agent', '{in_app}', now(), now()),
  (gen_random_uuid(), 'ticket.dispatched', 'assignee', null, '{in_app,email}', now(), now()),
  (gen_random_uuid(), 'ticket.resolved', 'reporter', null, '{in_app}', now(), now()),
  (gen_random_uuid(), 'ticket.resolved', 'customer_contact', null, '{email}', now(), now()),
  (gen_random_uuid(), 'sla.warning', 'assignee', null, '{in_app}', now(), now()),
  (gen_random_uuid(), 'sla.warning', 'team_manager', null, '{in_app}', now(), now()),
  (gen_random_uuid(), 'sla.breached', 'assignee', null, '{in_app}', now(), now()),
  (gen_random_uuid(), 'sla.breached', 'team_manager', null, '{in_app,email}', now(), now()),
  (gen_random_uuid(), 'parts.reorder_needed', 'role', 'warehouse', '{in_app,email}', now(), now());
