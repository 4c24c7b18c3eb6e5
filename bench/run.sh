#!/bin/sh
# make bench: measure chis with wrk on loopback. Not a test: it prints figures
# (requests/s, latency percentiles) and the ratio between endpoints measured
# in the same run, and keeps the raw wrk output in bench/out/. Then it runs
# bench/directory.sh: the directory search on 200,000 generated services, and
# bench/referrals.sh: the outcomes report over 1,000,000 generated referrals
# and creating referrals through the API.
#
#   CHIS_BENCH_SECONDS  duration of each run (default 10)
#   CHIS_BENCH_CONNS    connections (default 32)
set -eu
. "$(dirname "$0")/lib.sh"
bin=${1:-build/chis}
secs=${CHIS_BENCH_SECONDS:-10}
conns=${CHIS_BENCH_CONNS:-32}
out=bench/out
mkdir -p "$out"
bench_scratch bench/run.sh

"$bin" demo --db "$dir/bench.db" >/dev/null
token=$("$bin" token create admin@demo.chis.example.org --name bench --db "$dir/bench.db")
bench_serve "$bin" "$dir/bench.db" "$dir"

rows=$(curl -s -H "Authorization: Bearer $token" "$url/api/v1/organisations?per_page=60" |
    grep -o '"id":' | wc -l)
bench_machine
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); wrk: 2 threads, $conns connections, ${secs}s each;" \
     "chis: 2 worker threads, access log off"

run() { # name, then wrk arguments
    name=$1
    shift
    wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" >"$out/$name.txt"
    rps=$(sed -n 's/^Requests\/sec:\s*//p' "$out/$name.txt")
    p50=$(awk '$1=="50%" {print $2}' "$out/$name.txt")
    p99=$(awk '$1=="99%" {print $2}' "$out/$name.txt")
    errs=$(grep -E 'Non-2xx|Socket errors' "$out/$name.txt" | tr '\n' ' ')
    printf '%-28s %12s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" "$p50" "$p99" "$errs"
    eval "rps_$name=\$rps"
}

run healthz "$url/healthz"
run organisations_60 -H "Authorization: Bearer $token" "$url/api/v1/organisations?per_page=60"
# Personal data is never cached and every read of it is audited: a write per request.
run people_60_audited -H "Authorization: Bearer $token" "$url/api/v1/people?per_page=60"
echo "organisations_60 returned $rows rows per response"
awk -v a="$rps_organisations_60" -v b="$rps_healthz" 'BEGIN {
    r = a / b
    printf "ratio organisations_60 / healthz = %.2f (target >= 0.50: %s)\n", r, (r >= 0.5) ? "met" : "NOT met"
    printf "healthz target >= 40000 req/s: %s\n", (b >= 40000) ? "met" : "NOT met"
}'

# The directory search serves a database of its own: stop this server first,
# so that the two do not compete for the cores.
kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
echo
sh bench/directory.sh "$bin"
echo
sh bench/referrals.sh "$bin"
