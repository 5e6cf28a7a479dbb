#!/usr/bin/env bash
# Times the full report over the demo organisation scaled SCALE times: `plumb demo --scale
# SCALE` once (generate, ingest, import, report), then `plumb report --format json` (every
# repository checked for new commits, every stored record loaded, line survival read from
# the repositories, every metric computed and rendered), against two references measured
# in the same run:
#   - `git log --numstat --no-renames HEAD` over every demo repository, one after another
#     (what reading the whole history costs git itself);
#   - `cat plumb.db > /dev/null` (reading the store file once: the I/O floor).
# Each command runs RUNS times; the table shows the median wall time, every run, the median
# CPU time (user + system) and the peak RSS, the last two from GNU time when /usr/bin/time
# is there. On a shared machine the CPU time is the steadier figure of a single-threaded
# phase; the wall time is what a user waits.
#
# Usage: bench/report.sh [SCALE]   (default 50; the product target is SCALE 50 under 2 s)
#
# Environment:
#   PLUMB=/path/to/plumb   use this binary and skip `cargo build --release -p plumb-cli`
#   RUNS=3                 runs of each timed command (the median is reported)
#   TARGET=2               seconds the report's median must stay under for exit status 0
#   KEEP=1                 keep the demo folder (its path is printed)
#   TMPDIR                 where the demo folder goes (scale 50 takes about 4 GB)
#
# Exit status: 0 when the report's median is under TARGET s, 1 when not, 2 on a usage or
# setup error, 3 when a command fails.

set -euo pipefail
export LC_ALL=C

die() { echo "report.sh: $*" >&2; exit 2; }
[[ $# -le 1 ]] || die "usage: bench/report.sh [SCALE]"
SCALE=${1:-50}
[[ $SCALE =~ ^[1-9][0-9]*$ ]] || die "SCALE must be a positive whole number, not $SCALE"
RUNS=${RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not $RUNS"
TARGET=${TARGET:-2}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
command -v git >/dev/null || die "git not found"
command -v python3 >/dev/null || die "python3 not found"

if [[ -z ${PLUMB:-} ]]; then
    echo "report.sh: cargo build --release -p plumb-cli" >&2
    (cd "$ROOT" && cargo build --release -q -p plumb-cli) || die "cargo build failed"
    PLUMB=${CARGO_TARGET_DIR:-$ROOT/target}/release/plumb
fi
[[ -x $PLUMB ]] || die "$PLUMB is not executable"

TIME=/usr/bin/time
if ! { [[ -x $TIME ]] && "$TIME" -v -o /dev/null true 2>/dev/null; }; then
    echo "report.sh: GNU time not found: no peak RSS" >&2
    TIME=
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/plumb-report-bench.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
    echo "report.sh: keeping $WORK" >&2
else
    trap 'rm -rf "$WORK"' EXIT
fi
DIR=$WORK/demo
DB=$DIR/.plumb/plumb.db

now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi; }

# timed NAME CMD...: runs CMD (stdout to WORK/NAME.out); sets WALL (s), CPU (user + system
# s, or "") and RSS (KiB, or "").
timed() {
    local name=$1 start end rc=0
    shift
    start=$(now)
    if [[ -n $TIME ]]; then
        "$TIME" -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    else
        "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
    fi
    end=$(now)
    if ((rc != 0)); then
        echo "report.sh: failed (exit $rc): $*" >&2
        tail -n 20 "$WORK/$name.err" >&2
        exit 3
    fi
    WALL=$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")' "$start" "$end")
    RSS= CPU=
    if [[ -n $TIME ]]; then
        RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.time")
        CPU=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {printf "%.3f", s}' "$WORK/$name.time")
    fi
}

median() {
    if (($# == 0)); then echo "n/a"; return; fi
    python3 -c 'import statistics, sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "$@"
}
mib() { if [[ -n $1 ]]; then python3 -c "print(round($1 / 1024))"; else echo "n/a"; fi; }

# The demo, once.
echo "report.sh: plumb demo --scale $SCALE --dir $DIR" >&2
timed demo "$PLUMB" demo --scale "$SCALE" --dir "$DIR" --format json
DEMO_WALL=$WALL DEMO_RSS=$RSS
SUMMARY=$(grep -m1 '^demo:' "$WORK/demo.err" || true)
mapfile -t REPOS < <(find "$DIR/repos" -mindepth 1 -maxdepth 1 -type d | sort)
((${#REPOS[@]} > 0)) || die "the demo wrote no repositories"
DB_MIB=$(python3 -c "import os, sys; print(round(os.path.getsize(sys.argv[1]) / 2**20))" "$DB")

# git log over every repository, one after another (what reading all history costs git).
git_log_all() {
    local r
    for r in "${REPOS[@]}"; do
        git -C "$r" -c log.showRoot=true -c diff.algorithm=myers -c diff.renames=false \
            log --numstat --no-renames HEAD
    done
}

declare -a REPORT_W=() REPORT_C=() REPORT_R=() GIT_W=() GIT_C=() GIT_R=() CAT_W=() CAT_C=() CAT_R=()
# Each report runs right after `cat plumb.db`, with the store in the page cache as it is
# for a report shortly after another: reading 300 histories with git pushes the store out
# of a small page cache, and a report after that also measures the disk.
for ((i = 1; i <= RUNS; i++)); do
    timed "git-log-$i" bash -c "$(declare -p REPOS); $(declare -f git_log_all); git_log_all"
    GIT_W+=("$WALL") GIT_R+=("$RSS")
    if [[ -n $CPU ]]; then GIT_C+=("$CPU"); fi
    timed "cat-db-$i" bash -c 'cat "$1" > /dev/null' _ "$DB"
    CAT_W+=("$WALL") CAT_R+=("$RSS")
    if [[ -n $CPU ]]; then CAT_C+=("$CPU"); fi
    timed "report-$i" "$PLUMB" -v --db "$DB" --config "$DIR/plumb.toml" report --format json
    REPORT_W+=("$WALL") REPORT_R+=("$RSS")
    if [[ -n $CPU ]]; then REPORT_C+=("$CPU"); fi
done

max_rss() { local m="" x; for x in "$@"; do [[ -z $x ]] && continue; if [[ -z $m ]] || ((x > m)); then m=$x; fi; done; echo "$m"; }

# What the report covered (from its JSON) and what git read.
FACTS=$(python3 - "$WORK/report-1.out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
window = r.get("window", {})
label = window.get("label") or f'{window.get("since", "?")} .. {window.get("until", "?")}'
score = r.get("overall", {}).get("score")
score = f"{score:.1f}" if isinstance(score, (int, float)) else "n/a"
print(f'{len(r.get("repos", []))} repositories, window {label}, overall score {score}')
PY
)
GIT_COMMITS=$(for r in "${REPOS[@]}"; do git -C "$r" rev-list --count HEAD; done | awk '{s += $1} END {print s}')

runs() { local out="" x; for x in "$@"; do out+="${out:+ / }$x"; done; echo "$out"; }
echo
echo "scale $SCALE: ${#REPOS[@]} repositories, $GIT_COMMITS commits reachable from their HEADs, store $DB_MIB MiB"
[[ -n $SUMMARY ]] && echo "$SUMMARY"
echo "report: $FACTS"
echo "plumb demo --scale $SCALE (generate + ingest + import + report), once: $DEMO_WALL s, peak RSS $(mib "$DEMO_RSS") MiB"
echo "median of $RUNS; $(nproc 2>/dev/null || echo '?') cores; $(uname -sr)"
echo
echo "| command | median wall s | runs wall s | median CPU s | peak RSS MiB |"
echo "|---|---:|---|---:|---:|"
echo "| \`plumb report --format json\` | $(median "${REPORT_W[@]}") | $(runs "${REPORT_W[@]}") | $(median "${REPORT_C[@]}") | $(mib "$(max_rss "${REPORT_R[@]}")") |"
echo "| \`git log --numstat --no-renames HEAD\` × ${#REPOS[@]} repositories | $(median "${GIT_W[@]}") | $(runs "${GIT_W[@]}") | $(median "${GIT_C[@]}") | $(mib "$(max_rss "${GIT_R[@]}")") |"
echo "| \`cat plumb.db > /dev/null\` ($DB_MIB MiB) | $(median "${CAT_W[@]}") | $(runs "${CAT_W[@]}") | $(median "${CAT_C[@]}") | $(mib "$(max_rss "${CAT_R[@]}")") |"

# Where the report's wall time went: the phases `plumb -v report` logs, median of the runs.
echo
echo "| report phase (\`plumb -v\` log) | median wall s | runs |"
echo "|---|---:|---|"
python3 - "$WORK"/report-*.err <<'PY'
import re, statistics, sys
phases = {}
for path in sys.argv[1:]:
    for line in open(path, errors="replace"):
        line = re.sub(r"\x1b\[[0-9;]*m", "", line)
        m = re.search(r"report: ([^=]*?)(?: [a-z_]+=.*)? seconds=([0-9.]+)", line)
        if m:
            phases.setdefault(re.sub(r"[0-9]+", "N", m.group(1).strip()), []).append(float(m.group(2)))
for name, xs in phases.items():
    print(f"| {name} | {statistics.median(xs):.3f} | {' / '.join(f'{x:.3f}' for x in xs)} |")
PY

M=$(median "${REPORT_W[@]}")
if python3 -c "import sys; sys.exit(0 if $M < $TARGET else 1)"; then
    echo
    echo "report.sh: the report's median $M s is under the $TARGET s target"
else
    echo
    echo "report.sh: the report's median $M s is NOT under the $TARGET s target"
    exit 1
fi
