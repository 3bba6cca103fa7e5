-- Tokens (CONTRACT §3, §8), tasks (§19, SEMANTICS §14), plugin registry and configuration
-- (§11, §20, SEMANTICS §15).
CREATE TABLE personal_access_tokens (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,     -- SHA-256 hex of the whole token
  token_prefix TEXT NOT NULL,            -- first 12 characters
  scopes       TEXT,                     -- comma list; NULL = read,write
  workspace_id INTEGER REFERENCES workspaces(id) ON DELETE CASCADE,
  notebook_id  INTEGER REFERENCES notebooks(id) ON DELETE CASCADE,
  agent_id     INTEGER,
  last_used_at TEXT,
  expires_at   TEXT,
  is_active    INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL
);
CREATE INDEX idx_pat_user ON personal_access_tokens(user_id);

CREATE TABLE refresh_tokens (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id  TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  rotated_at TEXT,
  revoked_at TEXT
);
CREATE INDEX idx_refresh_family ON refresh_tokens(family_id);

-- Logged-out access tokens, kept until they expire.
CREATE TABLE revoked_jtis (
  jti        TEXT PRIMARY KEY,
  expires_at TEXT NOT NULL
);

CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  title        TEXT NOT NULL,
  description  TEXT,
  status       TEXT NOT NULL DEFAULT 'pending',
  assigned_to  TEXT,
  type         TEXT,
  input_data   TEXT,   -- JSON object
  output_data  TEXT,   -- JSON object
  error        TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  started_at   TEXT,
  completed_at TEXT
);
CREATE INDEX idx_tasks_workspace ON tasks(workspace_id);
CREATE INDEX idx_tasks_status ON tasks(status);

CREATE TABLE plugins (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  plugin_id    TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL,
  version      TEXT NOT NULL,
  type         TEXT NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 1,
  manifest     TEXT NOT NULL DEFAULT '{}',   -- JSON object
  installed_at TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE plugin_configs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  plugin_id    TEXT NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 1,
  config       TEXT NOT NULL DEFAULT '{}',   -- JSON object
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (workspace_id, plugin_id)
);

CREATE TABLE notebook_plugin_configs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  notebook_id INTEGER NOT NULL REFERENCES notebooks(id) ON DELETE CASCADE,
  plugin_id   TEXT NOT NULL,
  enabled     INTEGER NOT NULL DEFAULT 1,
  config      TEXT NOT NULL DEFAULT '{}',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (notebook_id, plugin_id)
);
