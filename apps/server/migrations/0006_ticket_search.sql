-- Ticket search by number or serial prefix ("SV-2025-0001…", "GL3000-…") must stay an index
-- lookup at a million tickets; text_pattern_ops lets LIKE 'prefix%' use a btree in any collation.
create index tickets_number_prefix_idx on tickets (number text_pattern_ops);
create index tickets_serial_prefix_idx on tickets (serial_number text_pattern_ops);
create index tickets_priority_created_idx on tickets (priority, created_at desc);
create index tickets_channel_created_idx on tickets (channel, created_at desc);
