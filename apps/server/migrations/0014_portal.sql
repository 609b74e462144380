-- Customer portal: invitations for customer contacts, the self-service FAQ, quotes on tickets,
-- and CSAT/NPS surveys (module surveys).

-- A staff member invites a contact; the link carries a random secret of which only the SHA-256
-- is stored. Accepting creates the customer user once (accepted_at) before expires_at.
create table portal_invitations (
  id uuid primary key,
  customer_id uuid not null references customers (id),
  contact_id uuid references contacts (id),
  name text not null,
  mobile text,
  email text,
  token_hash text not null unique,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  user_id uuid references users (id),
  emailed_at timestamptz,
  created_by uuid,
  created_at timestamptz not null,
  check (mobile is not null or email is not null)
);
create index portal_invitations_customer_idx on portal_invitations (customer_id, created_at desc);

-- Sign-in by phone or e-mail looks these up; only contacts sign in that way.
create index users_mobile_idx on users (mobile) where mobile is not null;
create index users_email_idx on users (lower(email)) where email is not null;

-- Self-service answers offered while a customer types a fault report, before a ticket exists.
create table portal_faqs (
  id uuid primary key,
  question text not null,
  answer text not null,
  keywords text not null default '',
  active boolean not null default true,
  unsolved_count integer not null default 0,
  solved_count integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version integer not null default 1
);

-- A quote (报价) on a ticket: parts and labour lines priced in fen; the customer approves or
-- rejects it before the work goes on.
create table quotes (
  id uuid primary key,
  ticket_id uuid not null references tickets (id),
  customer_id uuid,
  state text not null check (state in ('pending', 'approved', 'rejected', 'withdrawn')),
  lines jsonb not null,
  total_fen bigint not null check (total_fen >= 0),
  note text,
  valid_until date,
  decided_by uuid,
  decided_at timestamptz,
  decision_reason text,
  created_by uuid,
  created_at timestamptz not null,
  version integer not null default 1
);
create index quotes_ticket_idx on quotes (ticket_id, created_at);
-- At most one quote waits for the customer per ticket.
create unique index quotes_one_pending_idx on quotes (ticket_id) where state = 'pending';

-- One satisfaction survey per ticket, created when it closes. A CSAT given while signing the
-- confirmation is carried over (csat_source = 'confirmation') so the customer is not asked twice.
create table surveys (
  id uuid primary key,
  ticket_id uuid not null unique references tickets (id),
  customer_id uuid,
  state text not null check (state in ('pending', 'answered')),
  csat smallint check (csat between 1 and 5),
  csat_source text check (csat_source in ('confirmation', 'survey')),
  nps smallint check (nps between 0 and 10),
  comment text,
  emailed_at timestamptz,
  created_at timestamptz not null,
  answered_at timestamptz,
  answered_by uuid
);
create index surveys_customer_idx on surveys (customer_id, created_at desc);
create index surveys_created_idx on surveys (created_at);
