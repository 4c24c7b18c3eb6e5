#!/bin/sh
# Run every fuzz harness for SECONDS (default 60) on a scratch copy of its
# seeds, so the committed corpus keeps only the hand-picked seeds.
set -eu
secs=${1:-60}
make --no-print-directory fuzz
for f in form json jsonr route markdown hsds hsds_csv fhir_bundle; do
    work=build/fuzz/corpus/$f
    mkdir -p "$work"
    cp fuzz/corpus/$f/* "$work/"
    echo "== fuzz_$f for ${secs}s"
    build/fuzz/fuzz_$f -max_total_time="$secs" "$work" 2>&1 | grep -E '^Done|ERROR|SUMMARY'
done
