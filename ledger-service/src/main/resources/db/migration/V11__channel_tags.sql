-- Free labels an admin gives channels (region, tier, account ...) to find and switch them together
-- (GET /api/channels?tag=, POST /api/channels/batch with a tag). A JSON array of strings like models and groups_json;
-- channels are few, so the tag filter reads them all and needs no index.
ALTER TABLE channels ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
