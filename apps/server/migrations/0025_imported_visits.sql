-- Imported history: how many on-site visits a historical ticket took, from the import's 上门次数
-- column (or 1 for on-site service when the file does not say). The history has no visit records
-- of its own, and without this an on-site repair imported from Excel would count as resolved at
-- first contact. Null for tickets raised in the system, whose visits are the visit records. The
-- analytics facts count `visits` as the checked-in visit records plus this number.
alter table tickets add column imported_visits smallint;
