-- Changes as each process published them, so that other processes on the same data dir
-- (codexd, codexctl watch) publish them too (SEMANTICS §19). Pruned to the newest rows.
CREATE TABLE change_log (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  origin   TEXT NOT NULL,    -- the publishing process
  kind     TEXT NOT NULL,    -- an event type: created, modified, deleted, moved, scanned, resync
  file_id  INTEGER,
  path     TEXT NOT NULL,
  old_path TEXT
);
