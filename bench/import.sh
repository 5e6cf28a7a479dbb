#!/usr/bin/env bash
# Times `plumb import` on the demo organisation's largest files against a reference
# measured in the same run: Python's csv/json parsers loading the same rows into SQLite in
# one transaction, keyed the same way (INSERT OR REPLACE), with no validation at all.
# plumb does more (every cell validated, every key compared, a payload per record), so
# the ratio is what plumb's checks cost over a bare load.
#
# Usage: bench/import.sh [PLUMB_BINARY]   (default: target/release/plumb, built if absent)
set -euo pipefail
cd "$(dirname "$0")/.."
plumb=${1:-target/release/plumb}
[ -x "$plumb" ] || cargo build --release -q -p plumb-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s.%N)
"$plumb" demo --dir "$work/demo" --format json >/dev/null 2>"$work/demo.log"
end=$(date +%s.%N)
echo "demo (generate + ingest + import + report): $(echo "$end - $start" | bc) s"
grep '^demo:' "$work/demo.log" | head -1

for spec in "ai-usage:ai-usage.ndjson" "checks:checks.ndjson" "reviews:reviews.csv" "pull-requests:pull-requests.csv"; do
  kind=${spec%%:*}
  file="$work/demo/imports/${spec#*:}"
  lines=$(grep -c . "$file")
  rm -f "$work/p.db"
  s=$(date +%s.%N)
  "$plumb" --db "$work/p.db" import "$kind" "$file" >/dev/null
  e=$(date +%s.%N)
  p=$(echo "$e - $s" | bc)
  s=$(date +%s.%N)
  "$plumb" --db "$work/p.db" import "$kind" "$file" >/dev/null
  e=$(date +%s.%N)
  again=$(echo "$e - $s" | bc)
  r=$(python3 - "$file" "$work/r.db" <<'PY'
import csv, json, sqlite3, sys, time
path, db = sys.argv[1], sys.argv[2]
t = time.perf_counter()
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
con.execute("CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, payload TEXT)")
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f)) if path.endswith(".csv") else [json.loads(l) for l in f if l.strip()]
with con:
    con.executemany(
        "INSERT OR REPLACE INTO records VALUES (?, ?)",
        ((json.dumps(sorted(r.items()))[:64], json.dumps(r)) for r in rows),
    )
print(f"{time.perf_counter() - t:.3f}")
PY
)
  rm -f "$work/r.db"*
  printf '%-14s %6d lines: plumb %.3f s (re-import %.3f s), reference %.3f s, ratio %.2f\n' \
    "$kind" "$lines" "$p" "$again" "$r" "$(echo "$p / $r" | bc -l)"
done
