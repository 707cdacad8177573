-- paideia: kind=expand transaction=true
-- The editor (issue 15): a page's text and an assignment's instructions keep their source
-- (Markdown) beside the cleaned HTML that everyone is shown and older binaries read. `*_format`
-- NULL means HTML written before the editor; `*_source_digest` is the SHA-256 (hex) of the
-- HTML the source produced, so a text changed by an older binary is opened as that HTML.
-- `module_attachments` owns the media rows of the files pasted, dropped or picked into a text.
ALTER TABLE modules ADD COLUMN body_format TEXT;
ALTER TABLE modules ADD COLUMN body_source TEXT;
ALTER TABLE modules ADD COLUMN body_source_digest TEXT;
ALTER TABLE assignments ADD COLUMN instructions_format TEXT;
ALTER TABLE assignments ADD COLUMN instructions_source TEXT;
ALTER TABLE assignments ADD COLUMN instructions_source_digest TEXT;
CREATE TABLE module_attachments (
    module_id BIGINT NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    media_id  BIGINT NOT NULL UNIQUE REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (module_id, media_id)
);
