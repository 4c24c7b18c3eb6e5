#!/bin/sh
# Run the whole suite: the C unit tests given as arguments (cmocka), then the
# API and browser tests (node's test runner) against $CHIS_BIN. Prints one
# closing line "N passed, N failed" and exits non-zero if anything failed.
# CHIS_SKIP_BROWSER=1 leaves out the browser tests (the sanitizer run does).
set -u
passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

count() { # $1: pattern whose first number is added
    sed -n "$1" "$out" | awk '{s+=$1} END {print s+0}'
}

for t in "$@"; do
    echo "== $t"
    "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(count 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
    f=$(count 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
done

node_suite() { # $1: label, then files
    label=$1
    shift
    echo "== $label"
    node --test --test-concurrency=2 "$@" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(count 's/^# pass \([0-9]*\)$/\1/p')
    f=$(count 's/^# fail \([0-9]*\)$/\1/p')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
}

api_tests=$(ls tests/api/*.test.mjs 2>/dev/null)
[ -n "$api_tests" ] && node_suite "API tests" $api_tests
if [ "${CHIS_SKIP_BROWSER:-0}" != 1 ]; then
    browser_tests=$(ls tests/browser/*.test.mjs 2>/dev/null)
    [ -n "$browser_tests" ] && node_suite "browser tests" $browser_tests
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
