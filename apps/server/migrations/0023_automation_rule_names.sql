-- A rule is named by its name wherever people meet it — the rule list, run logs, the comments and
-- messages its actions write — and, since configuration moves between installations, in the
-- `automation.rules` section of a configuration document. Two rules of one name could not be told
-- apart there, so names are unique. Names shared today keep the oldest rule's name; the others get
-- the end of their id appended (unique, and easy to find and rename).
update automation_rules r set name = left(r.name, 88) || ' (' || right(r.id::text, 8) || ')'
from (select id, row_number() over (partition by name order by created_at, id) as n from automation_rules) d
where d.id = r.id and d.n > 1;
create unique index automation_rules_name_key on automation_rules (name);
