-- Login throttling that slows a guesser without locking out the owner (issue 12 item 6). Failures
-- were counted per account and per address separately, so five wrong passwords from anywhere locked
-- an account for everyone and thirty from an office's NAT locked out the whole office. They are now
-- counted per account *and* address (`account` is `user:<id>` for a known user, `name:<typed>` for
-- an unknown one), with one row per address (`account = '*'`) counting its failures over every
-- account. Throttle state is transient: the old counters are dropped, not converted.
drop table login_throttle;

create table login_failures (
  account text not null,
  address text not null,
  failures integer not null,
  last_failed_at timestamptz not null,
  locked_until timestamptz,
  primary key (account, address)
);
