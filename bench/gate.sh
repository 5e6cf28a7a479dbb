#!/usr/bin/env bash
# Gate benchmark: `plumb gate` on a 200-commit range that touches 1,000 files.
#
# usage: bench/gate.sh
#
# Builds a scratch repository with `git fast-import`: a base commit with 1,000 files
# spread over red (auth, payments, migrations), yellow (api, components), green (docs,
# tests) and unzoned folders, then 200 commits on top, each changing 5 distinct files
# (1,000 in all), every 4th with a Claude Code trailer and every 7th with a Cursor one.
# Times `plumb gate --base BASE --head main` (best of RUNS) and prints one line:
#   gate: 200 commits, 1000 files, best of N: S s (verdict V, exit E)
#
# Environment:
#   PLUMB=/path/to/plumb   use this binary and skip `cargo build --release`
#   RUNS=5                 runs; the best wall time wins
#   KEEP=1                 keep the scratch directory
#
# Exit status: 0 when the best time is under 1 s, 1 when not, 2 on a usage or setup error.

set -euo pipefail
export LC_ALL=C

die() { echo "gate.sh: $*" >&2; exit 2; }
[[ $# -eq 0 ]] || die "usage: bench/gate.sh"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
RUNS=${RUNS:-5}
command -v git >/dev/null || die "git not found"
command -v python3 >/dev/null || die "python3 not found"

if [[ -z ${PLUMB:-} ]]; then
  (cd "$ROOT" && cargo build --release -q -p plumb-cli) || die "cargo build failed"
  PLUMB=$ROOT/target/release/plumb
fi
[[ -x $PLUMB ]] || die "$PLUMB is not executable"

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/plumb-gate-bench.XXXXXX")
if [[ -z ${KEEP:-} ]]; then trap 'rm -rf "$SCRATCH"' EXIT; else echo "scratch: $SCRATCH" >&2; fi
REPO=$SCRATCH/repo
git init -q -b main "$REPO"

python3 - <<'PY' | git -C "$REPO" -c core.autocrlf=false fast-import --quiet
import sys
dirs = ["src/auth", "src/payments", "db/migrations", "src/api", "ui/components",
        "docs", "src/tests", "src/core", "src/util", "lib"]
files = [f"{dirs[i % len(dirs)]}/m{i // len(dirs)}/file{i}.rs" for i in range(1000)]
out = []
def blob(text):
    data = text.encode()
    out.append(b"data %d\n" % len(data) + data + b"\n")
def commit(n, who, message, changes):
    t = 1_700_000_000 + n * 600
    out.append(f"commit refs/heads/main\nmark :{n + 1}\n".encode())
    out.append(f"author {who} <{who}@acme.com> {t} +0000\ncommitter {who} <{who}@acme.com> {t} +0000\n".encode())
    blob(message)
    for path, text in changes:
        out.append(f"M 100644 inline {path}\n".encode())
        blob(text)
commit(0, "ana", "base\n", [(p, f"// {p}\nfn f() {{}}\n") for p in files])
for i in range(200):
    trailer = ""
    if i % 4 == 0:
        trailer += "\nCo-Authored-By: Claude <noreply@anthropic.com>"
    if i % 7 == 0:
        trailer += "\nCo-authored-by: Cursor <cursoragent@cursor.com>"
    msg = f"change {i}\n" + (f"\n{trailer.lstrip()}\n" if trailer else "")
    who = ["ana", "bo", "cy", "di"][i % 4]
    commit(i + 1, who, msg, [(p, f"// {p}\nfn f() {{}}\n// change {i}\n") for p in files[i * 5:(i + 1) * 5]])
sys.stdout.buffer.write(b"".join(out))
PY
git -C "$REPO" reset -q --hard main
BASE=$(git -C "$REPO" rev-list --max-parents=0 main)
COMMITS=$(git -C "$REPO" rev-list --count "$BASE..main")
FILES=$(git -C "$REPO" log --format= --name-only --no-renames "$BASE..main" | sort -u | wc -l | tr -d ' ')

best=""
for _ in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  set +e
  "$PLUMB" --db "$SCRATCH/plumb.db" gate --repo "$REPO" --base "$BASE" --head main --format json >"$SCRATCH/gate.json" 2>"$SCRATCH/gate.err"
  code=$?
  set -e
  end=$(date +%s.%N)
  [[ $code -le 1 ]] || { cat "$SCRATCH/gate.err" >&2; die "plumb gate exited $code"; }
  t=$(python3 -c "print(f'{$end - $start:.3f}')")
  if [[ -z $best ]] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
done
verdict=$(python3 -c "import json; print(json.load(open('$SCRATCH/gate.json'))['decision']['verdict'])")
echo "gate: $COMMITS commits, $FILES files, best of $RUNS: $best s (verdict $verdict, exit $code)"
python3 -c "import sys; sys.exit(0 if $best < 1.0 else 1)"
