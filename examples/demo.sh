#!/usr/bin/env bash
# The demo of the README's first command: a data dir, a user, a workspace and a notebook made
# from examples/notes/ (plain files copied in, then indexed), and a few searches.
# Usage: examples/demo.sh [path/to/codexctl]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ctl="${1:-codexctl}"
export CODEX_DATA_DIR="${CODEX_DATA_DIR:-$PWD/data}"
say() { printf '\n\033[1m$ codexctl %s\033[0m\n' "$*"; }
run() { say "$*"; "$ctl" "$@"; }

run init --user demo
if ! "$ctl" workspace show demo-lab >/dev/null 2>&1; then
  run workspace create "Demo Lab"
  run notebook create demo-lab "Lysis Project" --description "Copied from examples/notes"
  nb_dir=$("$ctl" --json workspace show demo-lab | python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])')/lysis-project
  echo "copying examples/notes/ into $nb_dir (the folder stays the source of truth)"
  cp -r "$here/notes/." "$nb_dir/"
fi
run index demo-lab lysis-project
run file list demo-lab lysis-project
run tag list demo-lab
run search demo-lab spectrophotometer
run search demo-lab 'lysis -RIPA'
run search demo-lab 'tag:protocol'
run file show demo-lab lysis-project drafts/broken-frontmatter.md
printf '{"tags": ["experiment"], "sort": "properties.date desc"}' > "$CODEX_DATA_DIR/query.json"
run query demo-lab "$CODEX_DATA_DIR/query.json"
echo
echo "Data dir: $CODEX_DATA_DIR  (try: $ctl --help)"
