#!/usr/bin/env bash
# Ingest benchmark: plumb's full-history ingest against `git log --numstat` on the same repo.
#
# usage: bench/ingest.sh REPO [LABEL]
#
# Prints one Markdown table row on stdout (the header goes to stderr with the details):
#   | LABEL | commits | git log wall s | plumb cold wall s | ratio | commits/s |
#   | plumb peak RSS MiB | git peak RSS MiB | re-ingest s | totals |
#
# Environment:
#   PLUMB=/path/to/plumb   use this binary and skip `cargo build` (e.g. a stub for testing)
#   RUNS=2                 alternating git-log / cold-ingest pairs; the best wall time of each wins
#   REINGEST_RUNS=3        re-ingests of the unchanged repo into the last cold store; best wins
#   DIFF_ALGORITHM=myers   diff.algorithm for the git side (pinned so user config cannot change it)
#   KEEP=1                 keep the scratch directory (JSON outputs, time logs, stores)
#   TMPDIR                 where the scratch directory and the SQLite stores go
#
# Exit status: 0 totals MATCH, 1 MISMATCH, 2 usage or environment error, 3 a command failed.

set -euo pipefail
export LC_ALL=C

die() { echo "ingest.sh: $*" >&2; exit 2; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: bench/ingest.sh REPO [LABEL]"
[[ -d $1 ]] || die "$1: no such directory"
REPO=$(cd "$1" && pwd -P)
LABEL=${2:-$(basename "$REPO")}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
RUNS=${RUNS:-2}
REINGEST_RUNS=${REINGEST_RUNS:-3}
DIFF_ALGORITHM=${DIFF_ALGORITHM:-myers}

TIME=/usr/bin/time
[[ -x $TIME ]] || die "$TIME not found: GNU time is required for peak RSS (e.g. apt-get install time); not installing it"
"$TIME" -v -o /dev/null true 2>/dev/null || die "$TIME does not support -v/-o: GNU time is required"
command -v python3 >/dev/null || die "python3 not found"
command -v git >/dev/null || die "git not found"
git -C "$REPO" rev-parse --verify --quiet 'HEAD^{commit}' >/dev/null 2>&1 \
    || die "$REPO: not a git repository with a HEAD commit"

# The git side is pinned so that user or system config cannot change what it counts.
GIT=(git -C "$REPO" -c log.showRoot=true -c "diff.algorithm=$DIFF_ALGORITHM" -c diff.renames=false)

if [[ -n ${PLUMB:-} ]]; then
    echo "ingest.sh: PLUMB=$PLUMB given, not building" >&2
else
    echo "ingest.sh: cargo build --release -p plumb-cli" >&2
    (cd "$ROOT" && cargo build --release -p plumb-cli) >&2 || { echo "ingest.sh: build failed" >&2; exit 3; }
    PLUMB=$ROOT/target/release/plumb
fi
[[ -x $PLUMB ]] || die "$PLUMB: not an executable"
PLUMB=$(cd "$(dirname "$PLUMB")" && pwd -P)/$(basename "$PLUMB")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/plumb-bench.XXXXXX")
cleanup() { if [[ ${KEEP:-} == 1 ]]; then echo "ingest.sh: kept $WORK" >&2; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "$EPOCHREALTIME"; else date +%s.%N; fi; }

# run_timed NAME STDOUT-FILE CMD...: runs CMD under GNU time; sets T_WALL (s) and T_RSS (KiB).
run_timed() {
    local name=$1 out=$2; shift 2
    local tf=$WORK/$name.time ef=$WORK/$name.stderr start end rc=0
    start=$(now)
    "$TIME" -v -o "$tf" "$@" >"$out" 2>"$ef" || rc=$?
    end=$(now)
    if ((rc != 0)); then
        echo "ingest.sh: command failed (exit $rc): $*" >&2
        tail -n 30 "$ef" >&2
        exit 3
    fi
    T_WALL=$(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.3f}")' "$start" "$end")
    T_RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
    [[ -n $T_RSS ]] || { echo "ingest.sh: no RSS in $tf" >&2; exit 3; }
    printf 'ingest.sh:   %-14s %8.3f s  %8.1f MiB\n' "$name" "$T_WALL" "$(calc "$T_RSS/1024")" >&2
}

calc() { python3 -c "print($1)"; }
min() { python3 -c 'import sys; print(min(float(x) for x in sys.argv[1:]))' "$@"; }
max() { python3 -c 'import sys; print(max(float(x) for x in sys.argv[1:]))' "$@"; }

# json_field FILE KEY: the KEY of the single repo object in plumb's JSON output.
json_field() {
    python3 - "$1" "$2" <<'PY'
import json, sys
path, key = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"ingest.sh: cannot parse plumb JSON in {path}: {e} (KEEP=1 keeps the file)")
if isinstance(data, dict):
    data = [data]
if not isinstance(data, list) or len(data) != 1 or not isinstance(data[0], dict):
    sys.exit(f"ingest.sh: expected a JSON array with one repo object in {path}")
if key not in data[0]:
    sys.exit(f"ingest.sh: key {key!r} missing from plumb JSON ({path})")
v = data[0][key]
print(json.dumps(v) if isinstance(v, (dict, list)) else v)
PY
}

echo "ingest.sh: repo $REPO ($LABEL)" >&2
echo "ingest.sh: $(git --version); plumb $PLUMB" >&2

# (d) commit count, and the reference totals (this pass also warms the page cache).
COMMITS=$("${GIT[@]}" rev-list --count HEAD)
MERGES=$("${GIT[@]}" rev-list --count --merges HEAD)
read -r REF_ADDED REF_DELETED REF_BINARY < <(
    "${GIT[@]}" log --numstat --no-renames --diff-merges=off --no-ext-diff --no-textconv --format= HEAD \
        | awk -F'\t' '$1 == "-" { b++; next } NF >= 3 { a += $1; d += $2 }
                      END { printf "%.0f %.0f %.0f\n", a, d, b }')
echo "ingest.sh: git: $COMMITS commits ($MERGES merges), +$REF_ADDED -$REF_DELETED, $REF_BINARY binary file changes" >&2

# (a) + (b): git log and cold ingest, alternating.
GIT_WALLS=() GIT_RSS=() COLD_WALLS=() COLD_RSS=()
COLD_DB=
for ((i = 1; i <= RUNS; i++)); do
    run_timed "git-log-$i" /dev/null "${GIT[@]}" log --numstat --no-renames HEAD
    GIT_WALLS+=("$T_WALL") GIT_RSS+=("$T_RSS")
    COLD_DB=$(mktemp -d "$WORK/cold-$i.XXXXXX")/plumb.db
    run_timed "plumb-cold-$i" "$WORK/cold-$i.json" "$PLUMB" --db "$COLD_DB" ingest "$REPO" --format json
    COLD_WALLS+=("$T_WALL") COLD_RSS+=("$T_RSS")
done

# (c) re-ingest of the unchanged repo into the last cold store.
RE_WALLS=() RE_RSS=()
for ((i = 1; i <= REINGEST_RUNS; i++)); do
    run_timed "plumb-again-$i" "$WORK/again-$i.json" "$PLUMB" --db "$COLD_DB" ingest "$REPO" --format json
    RE_WALLS+=("$T_WALL") RE_RSS+=("$T_RSS")
done

GIT_WALL=$(min "${GIT_WALLS[@]}")
COLD_WALL=$(min "${COLD_WALLS[@]}")
RE_WALL=$(min "${RE_WALLS[@]}")
GIT_RSS_MAX=$(max "${GIT_RSS[@]}")
COLD_RSS_MAX=$(max "${COLD_RSS[@]}")

# Verification against the first cold ingest.
J=$WORK/cold-1.json
P_COMMITS=$(json_field "$J" commits) || exit 3
P_ADDED=$(json_field "$J" lines_added) || exit 3
P_DELETED=$(json_field "$J" lines_deleted) || exit 3
TOTALS=MATCH
check() { # check WHAT PLUMB GIT
    if [[ $2 == "$3" ]]; then
        echo "ingest.sh: ok        $1: $2" >&2
    else
        echo "ingest.sh: MISMATCH  $1: plumb $2, git $3" >&2
        TOTALS=MISMATCH
    fi
}
check commits "$P_COMMITS" "$COMMITS"
check lines_added "$P_ADDED" "$REF_ADDED"
check lines_deleted "$P_DELETED" "$REF_DELETED"

# Further consistency checks; reported, but they do not decide MATCH.
note() { # note WHAT PLUMB EXPECTED
    if [[ $2 == "$3" ]]; then
        echo "ingest.sh: (info) ok $1: $2" >&2
    else
        echo "ingest.sh: (info) WARNING $1: plumb $2, expected $3" >&2
    fi
}
note merge_commits "$(json_field "$J" merge_commits)" "$MERGES"
note "cold new_commits" "$(json_field "$J" new_commits)" "$COMMITS"
note binary_file_changes "$(json_field "$J" binary_file_changes)" "$REF_BINARY"
echo "ingest.sh: (info) unknown_file_changes $(json_field "$J" unknown_file_changes)," \
    "ai_assisted_commits $(json_field "$J" ai_assisted_commits)," \
    "ai_review_suggestion_commits $(json_field "$J" ai_review_suggestion_commits)," \
    "bot_commits $(json_field "$J" bot_commits), people $(json_field "$J" people)" >&2
echo "ingest.sh: (info) ai_by_tool $(json_field "$J" ai_by_tool)" >&2
for ((i = 2; i <= RUNS; i++)); do
    for k in commits lines_added lines_deleted; do
        note "cold run $i $k" "$(json_field "$WORK/cold-$i.json" "$k")" "$(json_field "$J" "$k")"
    done
done
for ((i = 1; i <= REINGEST_RUNS; i++)); do
    note "re-ingest $i new_commits" "$(json_field "$WORK/again-$i.json" new_commits)" 0
    note "re-ingest $i commits" "$(json_field "$WORK/again-$i.json" commits)" "$COMMITS"
done

RATIO=$(calc "round($COLD_WALL / $GIT_WALL, 2)")
RATE=$(calc "round($COMMITS / $COLD_WALL)")
PLUMB_MIB=$(calc "round($COLD_RSS_MAX / 1024)")
GIT_MIB=$(calc "round($GIT_RSS_MAX / 1024)")
fmt() { printf '%.2f' "$1"; }

HEADER='| repo | commits | git log wall s | plumb cold wall s | ratio | commits/s | plumb peak RSS MiB | git peak RSS MiB | re-ingest s | totals |'
SEP='|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'
ROW="| $LABEL | $COMMITS | $(fmt "$GIT_WALL") | $(fmt "$COLD_WALL") | $RATIO | $RATE | $PLUMB_MIB | $GIT_MIB | $(fmt "$RE_WALL") | $TOTALS |"
{
    echo
    echo "best of $RUNS (git log, cold ingest) and $REINGEST_RUNS (re-ingest); peak RSS is the maximum over runs"
    echo "$HEADER"
    echo "$SEP"
} >&2
echo "$ROW"

[[ $TOTALS == MATCH ]] || exit 1
