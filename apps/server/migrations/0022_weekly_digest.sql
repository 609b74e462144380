-- The weekly KPI digest by email (docs/notifications.md): null follows the role (managers receive
-- it), true subscribes anyone with analytics access, false opts a manager out.
alter table notification_preferences add column weekly_digest boolean;
