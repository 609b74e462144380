-- "Closest to breach first" within a priority, the dispatcher's most common view.
create index tickets_priority_due_idx on tickets (priority, resolution_due_at, created_at desc);
create index tickets_due_idx on tickets (resolution_due_at, created_at desc);
