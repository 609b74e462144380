-- Idempotency-Key: the first response to a create is kept and replayed to retries of the
-- same request, so a client that lost the answer can safely send it again.
create table idempotency_keys (
  owner text not null,
  key text not null,
  request_hash text not null,
  status integer,
  body jsonb,
  created_at timestamptz not null,
  primary key (owner, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
