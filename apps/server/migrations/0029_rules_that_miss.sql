-- Rules that quietly missed (issue 12, items 9, 11 and 13).

-- A delivery leg that cannot go out (no mobile number, no e-mail address, no SMTP, the channel
-- switched off by the recipient, a disabled endpoint) is logged as `skipped` with its reason in
-- last_error, instead of leaving no trace.
alter table notification_deliveries drop constraint notification_deliveries_state_check;
alter table notification_deliveries
  add constraint notification_deliveries_state_check check (state in ('pending', 'delivered', 'dead', 'skipped'));

-- A reopened ticket was marked as a repeat of itself. `repeat_of` names an earlier ticket the
-- report repeats; a reopen is counted by is_repeat and reopen_count.
update tickets set repeat_of = null where repeat_of = id;

-- Scheduled rules walk every open ticket in pages ordered by (reported_at, id).
create index tickets_reported_at_id_idx on tickets (reported_at, id);
