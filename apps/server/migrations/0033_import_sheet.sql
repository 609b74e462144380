-- Imports read the worksheet the user picked (or the one holding the header), not always the
-- first: the run remembers it so the dry run and the import read the same sheet as the upload.
-- Null for a CSV, and for runs uploaded before this, which read the first sheet.
alter table import_runs add column sheet_name text;
