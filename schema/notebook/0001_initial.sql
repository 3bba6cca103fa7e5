-- Notebook index (SEMANTICS §17.2), kept in <notebook>/.codex/notebook.db.
CREATE TABLE file_metadata (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  notebook_id      INTEGER NOT NULL,
  path             TEXT NOT NULL UNIQUE,
  filename         TEXT NOT NULL,
  content_type     TEXT NOT NULL,
  size             INTEGER NOT NULL,
  hash             TEXT NOT NULL,
  title            TEXT,
  description      TEXT,
  properties       TEXT,             -- JSON object, NULL when the file has no metadata
  sidecar_path     TEXT,
  file_type        TEXT,
  created_at       TEXT NOT NULL,    -- first indexed
  updated_at       TEXT NOT NULL,    -- last index change
  file_created_at  TEXT,
  file_modified_at TEXT NOT NULL,
  git_tracked      INTEGER NOT NULL DEFAULT 0,
  last_commit_hash TEXT,
  stat_sig         TEXT NOT NULL DEFAULT '',  -- size and mtime of the file and its sidecars
  problems         TEXT              -- JSON list of what could not be read, NULL when none
);
CREATE INDEX idx_file_metadata_filename ON file_metadata(filename);
CREATE INDEX idx_file_metadata_file_type ON file_metadata(file_type);

CREATE TABLE tags (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  color      TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE file_tags (
  file_id INTEGER NOT NULL REFERENCES file_metadata(id) ON DELETE CASCADE,
  tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (file_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX idx_file_tags_tag ON file_tags(tag_id);

-- Outgoing links of a file: [[wiki]] targets and markdown link destinations.
CREATE TABLE file_links (
  file_id INTEGER NOT NULL REFERENCES file_metadata(id) ON DELETE CASCADE,
  target  TEXT NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('wiki', 'markdown'))
);
CREATE INDEX idx_file_links_file ON file_links(file_id);
CREATE INDEX idx_file_links_target ON file_links(target);

CREATE VIRTUAL TABLE files_fts USING fts5(
  title, content, tags,
  tokenize = 'porter unicode61 remove_diacritics 1'
);

-- Ranking (SEMANTICS §12.2): title and tags weighted above the body; ORDER BY rank uses it.
INSERT INTO files_fts(files_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 5.0)');
