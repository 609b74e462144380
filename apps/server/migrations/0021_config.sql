-- Custom field kinds (attachment, signature, location, reference) and configuration moved as JSON.

-- An attachment field's files are uploaded while the report form is still open, before the ticket
-- exists: they wait unclaimed (no ticket, visible to their uploader only) until the ticket that
-- names them in its fields is created and claims them in the same transaction.
alter table attachments alter column ticket_id drop not null;
create index attachments_unclaimed_idx on attachments (uploaded_by) where ticket_id is null;

-- Every configuration import that was applied: who, when, from which installation, and what it
-- changed per section — the version history of configuration that moved between installations.
create table config_imports (
  id uuid primary key,
  source_installation text not null,
  exported_at timestamptz not null,
  format_version integer not null,
  sections text[] not null,
  summary jsonb not null,
  document_sha256 text not null,
  imported_by uuid,
  imported_at timestamptz not null
);
