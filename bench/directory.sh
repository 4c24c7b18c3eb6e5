#!/bin/sh
# bench/directory.sh: the directory search (issue 4). Not a test: it prints figures.
#
#  1. Generates a synthetic directory of 200,000 services with a fixed seed
#     (chis gen directory: about 40,000 organizations, 60,000 venues with
#     synthetic postcodes near real GB districts) and prints how long it took.
#  2. Serves it, and builds 2,000 different searches of the Open Referral UK
#     API: a word (search) x a postcode of the directory x a distance
#     (proximity) x a taxonomy term (taxonomy_term_id), in a fixed order.
#  3. Measures GET /openreferral/services with those searches (wrk and
#     bench/directory.lua, which cycles through them so the per-worker
#     response cache cannot answer from memory), and /healthz in the same run:
#     requests/s, p50/p75/p90/p99, and the ratio. Targets: p99 under 10 ms,
#     and at least a quarter of /healthz's throughput.
#
#   sh bench/directory.sh [path/to/chis]
#   CHIS_BENCH_SECONDS      duration of each wrk run (default 10)
#   CHIS_BENCH_CONNS        wrk connections (default 32)
#   CHIS_BENCH_DIR_SERVICES services to generate (default 200000)
#   CHIS_BENCH_DIR_DB       keep the generated database at this path, and reuse it
#                           when it is there already (generating takes minutes)
set -eu
. "$(dirname "$0")/lib.sh"
bin=${1:-build/chis}
secs=${CHIS_BENCH_SECONDS:-10}
conns=${CHIS_BENCH_CONNS:-32}
services=${CHIS_BENCH_DIR_SERVICES:-200000}
seed=20261126
out=bench/out
mkdir -p "$out"
bench_scratch bench/directory.sh

bench_machine
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); seed $seed; wrk: 2 threads, $conns connections, ${secs}s;" \
     "chis: 2 worker threads, access log off"

# ---- the directory ----
db=${CHIS_BENCH_DIR_DB:-$dir/directory.db}
if [ -f "$db" ]; then
    echo "directory: reusing $db"
else
    printf 'bench-password-%s\n' "$seed" |
        "$bin" init --system-name "Bench directory" --admin "bench@example.org" --db "$db" >/dev/null
    "$bin" gen directory --services "$services" --seed "$seed" --db "$db" |
        tee "$out/directory_gen.txt"
fi
echo "database: $(du -m "$db" | cut -f1) MiB"

bench_serve "$bin" "$db" "$dir"
code=$(curl -s -o "$dir/probe.json" -w '%{http_code}' "$url/openreferral/services?per_page=1")
if [ "$code" != 200 ]; then
    echo "GET /openreferral/services answered $code: is the Open Referral API there yet?"
    head -c 400 "$dir/probe.json"
    echo
    exit 1
fi
total=$(sed -n 's/^{"total_items":\([0-9]*\).*/\1/p' "$dir/probe.json")
echo "services published: $total"

# ---- the searches ----
# Taxonomy terms: every shipped term that is not a root (a root is a parent).
curl -s "$url/openreferral/taxonomy_terms?per_page=1000" >"$dir/terms.json"
grep -o '"parent_id":"[^"]*"' "$dir/terms.json" | cut -d'"' -f4 | sort -u >"$dir/roots.txt"
grep -o '"id":"[^"]*"' "$dir/terms.json" | cut -d'"' -f4 | sort -u |
    grep -vxF -f "$dir/roots.txt" >"$dir/terms.txt" || true
# Postcodes: those of 60 services spread over the directory.
: >"$dir/postcodes.txt"
for k in $(seq 60); do
    page=$(((k * 7919) % total + 1))
    id=$(curl -s "$url/openreferral/services?per_page=1&page=$page" |
        grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
    [ -n "$id" ] || continue
    curl -s "$url/openreferral/services/$id" | grep -o '"postal_code":"[^"]*"' | head -1 |
        cut -d'"' -f4 >>"$dir/postcodes.txt"
done
sort -u -o "$dir/postcodes.txt" "$dir/postcodes.txt"
nterms=$(wc -l <"$dir/terms.txt")
npost=$(wc -l <"$dir/postcodes.txt")
[ "$nterms" -gt 0 ] && [ "$npost" -gt 0 ] || {
    echo "could not collect terms ($nterms) and postcodes ($npost) from the API"
    exit 1
}
# 2,000 combinations in a fixed pseudo-random order (Park and Miller's generator).
awk -v n=2000 -v terms="$dir/terms.txt" -v posts="$dir/postcodes.txt" 'BEGIN {
    split("music singing dance art painting pottery garden community wellbeing heritage " \
          "film poetry choir drumming theatre memory craft nature photography writing", w, " ")
    nw = 20
    split("2000 5000 10000 16000", d, " ")
    nd = 4
    nt = 0; while ((getline l < terms) > 0) t[++nt] = l
    np = 0; while ((getline l < posts) > 0) { gsub(/ /, "%20", l); p[++np] = l }
    x = 12345
    for (i = 0; i < n; i++) {
        x = (x * 16807) % 2147483647; a = int(x / 64)
        x = (x * 16807) % 2147483647; b = int(x / 64)
        printf "/openreferral/services?search=%s&postcode=%s&proximity=%s&taxonomy_term_id=%s\n",
            w[a % nw + 1], p[b % np + 1], d[int(a / nw) % nd + 1], t[int(b / np) % nt + 1]
    }
}' >"$out/directory_urls.txt"
echo "searches: 2000 (20 words x $npost postcodes x 4 distances x $nterms terms), e.g."
echo "  $(sed -n 1p "$out/directory_urls.txt")"

# What the searches find, and how long each takes the first time (cold).
sed -n '1,200p' "$out/directory_urls.txt" | while read -r path; do
    took=$(curl -s -o "$dir/one.json" -w '%{http_code} %{time_total}' "$url$path")
    echo "$took $(sed -n 's/^{"total_items":\([0-9]*\).*/\1/p' "$dir/one.json")"
done >"$dir/sample.txt"
sort -k2,2g "$dir/sample.txt" |
    awk '{ n++; if ($1 != 200) bad++; t[n] = $2 * 1000; found += $3; if ($3 == 0) empty++ }
    END {
        printf "first 200 searches, one at a time: %d not 200; found %.1f services on average" \
               " (%d found none); p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
               bad, found / n, empty, t[int(n * 0.5)], t[int(n * 0.99)], t[n]
    }'
# The slowest of them, for whoever looks into the search.
paste "$dir/sample.txt" "$out/directory_urls.txt" | sort -k2,2gr | head -3 |
    awk '{ printf "  slowest: %.1f ms, %d found: %s\n", $2 * 1000, $3, $4 }'

# ---- load ----

run() { # name, then wrk arguments
    name=$1
    shift
    wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" >"$out/directory_$name.txt"
    f="$out/directory_$name.txt"
    rps=$(sed -n 's/^Requests\/sec:\s*//p' "$f")
    lat() { awk -v q="$1" '$1 == q { print $2 }' "$f"; }
    errs=$(grep -E 'Non-2xx|Socket errors' "$f" | tr '\n' ' ' || true)
    printf '%-18s %10s req/s   p50 %-8s p75 %-8s p90 %-8s p99 %-8s %s\n' "$name" "$rps" \
        "$(lat 50%)" "$(lat 75%)" "$(lat 90%)" "$(lat 99%)" "$errs"
    eval "rps_$name=\$rps"
    eval "p99_$name=\$(lat 99%)"
}

echo
run healthz "$url/healthz"
# Warm up both worker threads and the page cache with a short unrecorded
# run, then let the server finish what that run left queued.
wrk -t2 -c"$conns" -d3s --timeout 10s -s bench/directory.lua "$url" -- \
    "$out/directory_urls.txt" >/dev/null
while ! curl -s -o /dev/null -m 1 "$url/healthz"; do sleep 0.5; done
sleep 1
run services --timeout 10s -s bench/directory.lua "$url" -- "$out/directory_urls.txt"
awk -v a="$rps_services" -v b="$rps_healthz" -v p="$p99_services" 'BEGIN {
    ms = p + 0
    if (p ~ /us$/) ms = ms / 1000; else if (p ~ /ms$/) ms = ms; else if (p ~ /s$/) ms = ms * 1000
    r = a / b
    printf "ratio services / healthz = %.3f (target >= 0.25: %s)\n", r, (r >= 0.25) ? "met" : "NOT met"
    printf "services p99 %.2f ms (target < 10 ms: %s)\n", ms, (ms < 10) ? "met" : "NOT met"
}'
kill "$pid" 2>/dev/null || { echo "the server had stopped by itself:"; cat "$dir/serve.err"; }
wait "$pid" 2>/dev/null || true
pid=
