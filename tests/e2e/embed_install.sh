#!/usr/bin/env bash
# Installs the library from a build tree into a temp prefix, builds examples/embed against the
# installed CMake package (find_package(codex)), runs it, and checks the pkg-config file.
# Usage: embed_install.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$1"; build="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
flags=""
grep -q 'CODEX_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" && flags="-fsanitize=address,undefined"
cmake -S "$src/examples/embed" -B "$tmp/embed" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$tmp/embed" >/dev/null
out="$("$tmp/embed/lab_report" "$tmp/data")"
echo "$out"
[[ "$out" == *"search 'peak' finds 1 file(s)"* ]]
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs codex | grep -q -- '-lcodex'
test -f "$tmp/prefix/include/codex/codex.hpp"
! grep -rqE '#include <(boost|SQLiteCpp|sqlite3|sodium|git2|yaml-cpp|pugixml|md4c|fmt|CLI)' "$tmp/prefix/include/codex"
echo "embed: ok"
