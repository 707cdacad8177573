-- paideia: kind=expand transaction=true
-- Each person's time zone (an IANA name such as Europe/Berlin); NULL means the site's zone,
-- which lives in site_settings under `time_zone`.
ALTER TABLE users ADD COLUMN time_zone TEXT;
