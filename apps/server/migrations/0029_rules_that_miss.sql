-- Rules that quietly missed (issue 12, items 9, 11 and 13).

-- A reopened ticket was marked as a repeat of itself. `repeat_of` names an earlier ticket the
-- report repeats; a reopen is counted by is_repeat and reopen_count.
update tickets set repeat_of = null where repeat_of = id;
