-- System database: users, workspaces, roles, notebooks (SEMANTICS §17.1).
CREATE TABLE users (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  username        TEXT NOT NULL UNIQUE,
  email           TEXT NOT NULL UNIQUE,
  hashed_password TEXT NOT NULL,
  is_active       INTEGER NOT NULL DEFAULT 1,
  theme_setting   TEXT NOT NULL DEFAULT 'cream',
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

CREATE TABLE workspaces (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  name             TEXT NOT NULL,
  slug             TEXT NOT NULL,
  path             TEXT NOT NULL UNIQUE,
  owner_id         INTEGER NOT NULL REFERENCES users(id),
  theme_setting    TEXT NOT NULL DEFAULT 'cream',
  path_is_explicit INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (owner_id, slug)
);

CREATE TABLE workspace_permissions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role         TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (workspace_id, user_id)
);
CREATE INDEX idx_workspace_permissions_user ON workspace_permissions(user_id);

CREATE TABLE notebooks (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  slug         TEXT NOT NULL,
  path         TEXT NOT NULL,
  description  TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (workspace_id, slug)
);

-- Small persistent settings of the data directory (codexctl's default user, …).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
