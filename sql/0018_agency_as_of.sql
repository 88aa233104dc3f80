-- 0018: the date an agency says its extract describes ("as of 30 November"), apart from when the hub loaded it. Agencies
-- that say nothing leave it empty, and the read API then gives no agency date rather than guessing one.
alter table extract add column as_of date;
