#!/usr/bin/env bash
# Measures, in one run on this machine: the bare FTS5 floor (../shared/bench/fts_floor.sh),
# Codex's cold index of the 10k reference corpus and its ratio to the floor, a no-change
# re-index, ranked search in-process, `codexctl search` as a whole process, then live sync
# (bench/watch_bench.cpp: edit -> event latency, 10k copy-in, git commits, memory of 100 watched
# notebooks; it prints its own table against the budgets).
# Usage: bench/run.sh [BUILD_DIR]      (a Release build: ./dev bench does it all)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$repo/build/release}" && pwd)"
shared="${CODEX_SHARED_DIR:-$repo/../shared}"
work="${CODEX_BENCH_DIR:-/tmp/codex-bench}"
[ -f "$shared/bench/gen_corpus.py" ] || { echo "bench: $shared/bench/gen_corpus.py not found (set CODEX_SHARED_DIR)"; exit 66; }
for tool in python3 sqlite3 hyperfine; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install $tool)"; exit 69; }
done
mkdir -p "$work"
corpus="$work/corpus"
[ -d "$corpus" ] || python3 "$shared/bench/gen_corpus.py" --out "$corpus" --count 10000 --size 2048 --seed 42

echo "== floor: bare SQLite FTS5 bulk load of the corpus (median of 5)"
floor=$(bash "$shared/bench/fts_floor.sh" "$work" 5 | awk '/fts5_floor_median_s/ {print $2}')
echo "fts5_floor_median_s $floor"

echo "== codex: cold index, no-change re-index, search in-process"
"$build/bench/index_bench" --corpus "$corpus" --work "$work/run" --runs 3 --floor "$floor" | tee "$work/index.txt"

echo "== codexctl search as a whole process (hyperfine, 50 runs)"
CODEX_DATA_DIR="$work/run/data" hyperfine --style none --warmup 5 --runs 50 -N \
  --export-json "$work/cli.json" "$build/codexctl/codexctl search bench spectrophotometer --limit 20" >/dev/null
python3 - "$work/cli.json" <<'PY'
import json, statistics, sys
t = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"codexctl_search_median_ms {statistics.median(t) * 1000:.1f}")
PY

echo "== budgets (DESIGN §7): cold index <= 1.5 x floor, no-change <= 150 ms, search <= 2 ms in-process, <= 15 ms codexctl"

echo "== live sync: watcher latency, 10k copy-in, git commits, memory of 100 watched notebooks"
"$build/bench/watch_bench" --corpus "$corpus" | tee "$work/watch.txt"
