-- paideia: kind=expand transaction=true
-- Course housekeeping (issue 15): a module may be hidden from students, or shown only from
-- and/or until an instant; sections and modules are deleted into the course's trash
-- (`deleted_at`), restorable for 30 days and then purged. `deleted_with` is the section whose
-- deletion took the row along (NULL: deleted on its own), so restoring that section brings
-- back exactly what went with it.
ALTER TABLE modules ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE modules ADD COLUMN visible_from DATETIME;
ALTER TABLE modules ADD COLUMN visible_until DATETIME;
ALTER TABLE modules ADD COLUMN deleted_at DATETIME;
ALTER TABLE modules ADD COLUMN deleted_with INTEGER;
ALTER TABLE sections ADD COLUMN deleted_at DATETIME;
ALTER TABLE sections ADD COLUMN deleted_with INTEGER;
