#!/usr/bin/env bash
# HTTP throughput and latency of codexd, against nginx serving a static JSON file of the same
# size in the same run (the practical ceiling on this machine). codexd runs on a notebook holding
# the 10k reference corpus; wrk drives GET file metadata and a ranked search.
# Usage: bench/http_bench.sh [BUILD_DIR]     (Release; needs wrk, nginx-light, curl, python3)
# Env: DURATION (seconds per run, 10), CONNECTIONS (32), THREADS (codexd I/O threads, 2).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$repo/build/release}" && pwd)"
shared="${CODEX_SHARED_DIR:-$repo/../shared}"
work="${CODEX_BENCH_DIR:-/tmp/codex-bench}/http"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "http_bench: $tool is missing (apt-get install wrk nginx-light curl)"; exit 69; }
done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
ctl="$build/codexctl/codexctl"
daemon="$build/codexd/codexd"
corpus="${CODEX_BENCH_DIR:-/tmp/codex-bench}/corpus"
[ -d "$corpus" ] || python3 "$shared/bench/gen_corpus.py" --out "$corpus" --count 10000 --size 2048 --seed 42

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== populate: a notebook holding the corpus (codexctl)"
rm -rf "$work" && mkdir -p "$work"
export CODEX_DATA_DIR="$work/data"
echo "bench-password" | "$ctl" init --user bench --email bench@example.org --password-stdin >/dev/null
"$ctl" workspace create Bench >/dev/null
"$ctl" notebook create bench Corpus >/dev/null
cp -r "$corpus"/. "$work/data/workspaces/bench/corpus/"
"$ctl" index bench corpus >/dev/null

echo "== codexd ($threads I/O threads), rate limit off"
CODEX_RATE_LIMIT_PER_MINUTE=0 "$daemon" --listen 127.0.0.1:0 --data-dir "$work/data" \
  --threads "$threads" >"$work/codexd.out" 2>"$work/codexd.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/codexd.out" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/codexd.out")
[ -n "$port" ] || { echo "http_bench: codexd did not start"; cat "$work/codexd.log"; exit 1; }
base="http://127.0.0.1:$port"
token=$(curl -sf -d "username=bench&password=bench-password" "$base/api/v1/users/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
nb="$base/api/v1/workspaces/bench/notebooks/corpus"
file_id=$(curl -sf -H "Authorization: Bearer $token" "$nb/files?limit=1&skip=5000" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
meta_url="$nb/files/$file_id"
search_url="$base/api/v1/workspaces/bench/search?q=spectrophotometer&limit=20"
curl -sf -H "Authorization: Bearer $token" "$meta_url" >"$work/meta.json"
echo "file metadata body: $(wc -c <"$work/meta.json") bytes; search body: $(curl -sf \
  -H "Authorization: Bearer $token" "$search_url" | wc -c) bytes"

echo "== nginx serving the same metadata JSON as a static file (2 workers)"
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
cp "$work/meta.json" "$work/nginx/www/meta.json"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
error_log $work/nginx/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp; uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $work/nginx/www; default_type application/json; }
  }
}
EOF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/meta.json" >/dev/null && break; sleep 0.1; done

# wrk with one thread (the other core is the server's), printing "<name>_rps" and "<name>_p99_ms".
run_wrk() {
  local name="$1" url="$2" header="${3:-}"
  local args=(-t1 -c"$connections" -d"${duration}s" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  wrk "${args[@]}" "$url" >"$work/$name.wrk"
  python3 - "$name" "$work/$name.wrk" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", text)
p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{name}_rps {rps:.0f}")
print(f"{name}_p50_ms {ms(*p50.groups()):.2f}")
print(f"{name}_p99_ms {ms(*p99.groups()):.2f}")
if errors: print(f"{name}_non_2xx {errors.group(1)}")
PY
}

echo "== wrk: ${duration}s, $connections connections each"
# CPU time the hypervisor took from this VM during the runs: figures are only comparable when low.
steal() { awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
read -r steal0 total0 < <(steal)
run_wrk nginx_static "http://127.0.0.1:$nginx_port/meta.json" | tee "$work/figures.txt"
run_wrk codexd_file_meta "$meta_url" "Authorization: Bearer $token" | tee -a "$work/figures.txt"
run_wrk codexd_search "$search_url" "Authorization: Bearer $token" | tee -a "$work/figures.txt"
read -r steal1 total1 < <(steal)
echo "cpu_steal_percent $(( (steal1 - steal0) * 100 / (total1 - total0 + 1) ))" | tee -a "$work/figures.txt"
python3 - "$work/figures.txt" <<'PY'
import sys
f = dict(l.split() for l in open(sys.argv[1]) if l.strip())
ratio = float(f["codexd_file_meta_rps"]) / float(f["nginx_static_rps"])
print(f"codexd_file_meta_vs_nginx {ratio:.2f}")
print("== budget (issue 3): GET file metadata >= 20000 requests/s and p99 <= 10 ms")
ok = float(f["codexd_file_meta_rps"]) >= 20000 and float(f["codexd_file_meta_p99_ms"]) <= 10
print("within budget" if ok else "OVER BUDGET")
PY
