#!/usr/bin/env bash
# Runs every import fuzz target for SECONDS each (default 10), seeded with the import
# examples. Needs a nightly toolchain and cargo-fuzz (installed from crates.io if absent).
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: no nightly toolchain here; skipped (the any-bytes property tests in crates/import/tests still ran)"
  exit 0
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
examples=../docs/import-examples
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus/tabular" "$corpus/sarif" "$corpus/axe" "$corpus/copilot"
cp "$examples"/*.csv "$examples"/*.ndjson "$corpus/tabular/"
cp "$examples"/findings.sarif "$corpus/sarif/"
cp "$examples"/a11y.json "$corpus/axe/"
cp "$examples"/copilot-metrics.json "$corpus/copilot/"
cargo +nightly fuzz build
log="$corpus/log"
for target in tabular sarif axe copilot; do
  # A crash makes libFuzzer exit non-zero and leaves the input in fuzz/artifacts/.
  if ! cargo +nightly fuzz run "$target" "$corpus/$target" -- -max_total_time="$seconds" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target crashed; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  echo "fuzz: $target: $(grep -E '^Done' "$log" | tail -1)"
done
echo "fuzz: every target ran ${seconds}s without a crash"
