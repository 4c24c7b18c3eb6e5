#!/bin/sh
# bench/referrals.sh: the social prescribing pathway (issue 5). Not a test: it prints figures.
#
#  1. Builds (or reuses) a database of 1,000,000 referrals and about 2,000,000
#     outcome records: chis init, chis gen directory (20,000 services) and
#     chis gen referrals (400,000 people x 2.5 referrals), fixed seed. The
#     generated database is kept in build/bench/, named after the sizes, the
#     seed and a checksum of the generator's source and the schema, and reused while they
#     stay the same (generating takes about two minutes). Each run works on a
#     copy, so the referrals it creates never leak into the next run.
#  2. Adds a link worker of the busiest place's referring organisation with a
#     bearer token, gives the busiest service's organisation the four required
#     policies (a referral to a non-compliant provider is refused), and has
#     the link worker register one participant.
#  3. Measures, with wrk and bench/referrals.lua:
#       GET /api/v1/reports/outcomes?place_id=P&from=..&to=.. for the busiest
#       place (about a quarter of the referrals), cycling through 120 date
#       ranges so that no cache answers, with one connection (what one
#       person waits: the target) and with four: p50/p95/p99, requests/s,
#       and the ratio of p95 to the 200 ms target;
#       POST /api/v1/referrals as the link worker (a new draft each time):
#       requests/s and latency.
#
#   sh bench/referrals.sh [path/to/chis]
#   CHIS_BENCH_SECONDS          duration of each wrk run (default 10)
#   CHIS_BENCH_CONNS            wrk connections (default 32)
#   CHIS_BENCH_REF_PARTICIPANTS people (default 400000)
#   CHIS_BENCH_REF_PER          referrals per person (default 2.5)
#   CHIS_BENCH_REF_SERVICES     directory services (default 20000)
set -eu
. "$(dirname "$0")/lib.sh"
bin=${1:-build/chis}
secs=${CHIS_BENCH_SECONDS:-10}
conns=${CHIS_BENCH_CONNS:-32}
people=${CHIS_BENCH_REF_PARTICIPANTS:-400000}
per=${CHIS_BENCH_REF_PER:-2.5}
services=${CHIS_BENCH_REF_SERVICES:-20000}
seed=20261126
out=bench/out
cache=build/bench
mkdir -p "$out" "$cache"
bench_scratch bench/referrals.sh

bench_machine
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); seed $seed; wrk: 2 threads, $conns connections, ${secs}s;" \
     "chis: 2 worker threads, access log off"

# ---- the database ----
sum=$(cat src/domain/ref_gen*.c src/domain/ref_gen*.h src/domain/dir_gen.c src/store/sqlite_schema*.c \
      2>/dev/null | cksum | cut -d' ' -f1)
name="referrals-s$services-p$people-k$per-seed$seed-$sum"
cached="$cache/$name.db"
if [ -f "$cached" ]; then
    echo "database: reusing $cached"
else
    rm -f "$cache"/referrals-*.db "$cache"/referrals-*.txt "$cached.part"*
    printf 'bench-password-%s\n' "$seed" |
        "$bin" init --system-name "Bench referrals" --admin "bench@example.org" --db "$cached.part" \
            >/dev/null
    "$bin" gen directory --services "$services" --seed "$seed" --db "$cached.part" |
        tee "$cache/$name.directory.txt"
    "$bin" gen referrals --participants "$people" --referrals-per-participant "$per" \
        --seed "$seed" --db "$cached.part" >"$cache/$name.txt"
    mv "$cached.part" "$cached"
fi
cat "$cache/$name.txt"
cp "$cache/$name.txt" "$out/referrals_gen.txt"
echo "database: $(du -m "$cached" | cut -f1) MiB"
place=$(sed -n 's/^busiest place: \([0-9]*\) .*/\1/p' "$cache/$name.txt")
referrer=$(sed -n 's/^busiest place: .*referred by organisation \([0-9]*\).*/\1/p' "$cache/$name.txt")
service=$(sed -n 's/^busiest service: \([^ ]*\) .*/\1/p' "$cache/$name.txt")
provider=$(sed -n 's/^busiest service: .*of organisation \([0-9]*\).*/\1/p' "$cache/$name.txt")
[ -n "$place" ] && [ -n "$referrer" ] && [ -n "$service" ] && [ -n "$provider" ] || {
    echo "could not read the busiest place and service from $cache/$name.txt"
    exit 1
}
db="$dir/bench.db"
cp "$cached" "$db"

# ---- users, tokens, the server ----
printf 'bench-admin-%s\n' "$seed" |
    "$bin" user add admin@bench.example.org --role admin --name "Bench Admin" --db "$db" >/dev/null
admin=$("$bin" token create admin@bench.example.org --name bench --db "$db")
printf 'bench-link-worker-%s\n' "$seed" |
    "$bin" user add link.worker@bench.example.org --role link_worker --name "Bench Link Worker" \
        --org "$referrer" --db "$db" >/dev/null
lw=$("$bin" token create link.worker@bench.example.org --name bench --db "$db")

bench_serve "$bin" "$db" "$dir"

# ---- the report ----
echo
# 120 date ranges: from the first of each of 24 months to one of five ends after it.
awk -v place="$place" 'BEGIN {
    split("2026-10-31 2026-09-30 2026-06-30 2026-03-31 2025-12-31", ends, " ")
    for (m = 0; m < 24; m++) {
        y = 2023 + int((10 + m) / 12); mo = (10 + m) % 12 + 1
        from = sprintf("%04d-%02d-01", y, mo)
        for (e = 1; e <= 5; e++) {
            to = ends[e]
            if (to <= from) to = ends[1]
            printf "/api/v1/reports/outcomes?place_id=%s&from=%s&to=%s\n", place, from, to
        }
    }
}' >"$out/referrals_report_urls.txt"
first=$(sed -n 1p "$out/referrals_report_urls.txt")
code=$(curl -s -o "$dir/report.json" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $admin" "$url$first")
echo "report, first request (cold): HTTP ${code% *}, $(awk -v t="${code#* }" 'BEGIN { printf "%.1f", t * 1000 }') ms, $(wc -c <"$dir/report.json") bytes: $first"
report_ok=0
if [ "${code% *}" = 200 ]; then
    report_ok=1
    # The same, once more each of the first 20 ranges, one at a time (no load).
    sed -n '1,20p' "$out/referrals_report_urls.txt" | while read -r path; do
        curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $admin" "$url$path"
    done | sort -g | awk '{ t[NR] = $1 * 1000 } END {
        printf "report, 20 ranges one at a time: min %.1f ms, median %.1f ms, max %.1f ms\n", t[1], t[int(NR / 2) + 1], t[NR] }'
    # One client at a time (the latency one person sees: the target), then
    # four at once; the server finishes what each run left queued before the next.
    for c in 1 4; do
        while ! curl -s -o /dev/null -m 1 "$url/healthz"; do sleep 0.5; done
        wrk -t1 -c"$c" -d"${secs}s" --timeout 30s -H "Authorization: Bearer $admin" \
            -s bench/referrals.lua "$url" -- get "$out/referrals_report_urls.txt" \
            >"$out/referrals_report_c$c.txt"
        rps=$(sed -n 's/^Requests\/sec:\s*//p' "$out/referrals_report_c$c.txt")
        line=$(grep '^percentiles:' "$out/referrals_report_c$c.txt")
        p95=$(echo "$line" | sed -n 's/.* p95 \([0-9.]*\) .*/\1/p')
        echo "report, $c connection(s): $rps req/s; $line"
        awk -v p="$p95" -v c="$c" 'BEGIN {
            printf "report p95 (%d connection(s)) %.1f ms: ratio to the 200 ms target %.2f (%s)\n",
                c, p, p / 200, (p < 200) ? "met" : "NOT met" }'
    done
    while ! curl -s -o /dev/null -m 1 "$url/healthz"; do sleep 0.5; done
else
    echo "GET /api/v1/reports/outcomes did not answer 200: is the report route there yet?"
    head -c 400 "$dir/report.json"
    echo
fi

# ---- creating referrals ----
echo
today=$(date -u +%F)
for d in quality_assurance working_standards safeguarding data_management; do
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $admin" \
        -H 'Content-Type: application/json' -X POST "$url/api/v1/policies" \
        -d "{\"organisation_id\": $provider, \"domain\": \"$d\", \"version\": \"1\",
             \"approved_on\": \"$(date -u -d '-30 days' +%F)\", \"approved_by\": \"Board\",
             \"review_due\": \"$(date -u -d '+300 days' +%F)\"}"
done | sort | uniq -c | awk '{ printf "policies for organisation '"$provider"': %s x HTTP %s\n", $1, $2 }'
curl -s -o "$dir/person.json" -w '%{http_code}' -H "Authorization: Bearer $lw" \
    -H 'Content-Type: application/json' -X POST "$url/api/v1/participants" \
    -d '{"name": "Bench Person", "date_of_birth": "1958-04-12", "sex": "female"}' >"$dir/code"
person=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' "$dir/person.json")
[ -n "$person" ] || person=$(grep -o '"id": *[0-9]*' "$dir/person.json" | head -1 | grep -o '[0-9]*$' || true)
if [ "$(cat "$dir/code")" != 201 ] || [ -z "$person" ]; then
    echo "POST /api/v1/participants answered $(cat "$dir/code"): is the participants API there yet?"
    head -c 400 "$dir/person.json"
    echo
    exit 0
fi
printf '{"participant_id": %s, "service_id": "%s", "needs": [], "notes": "Made by bench/referrals.sh"}' \
    "$person" "$service" >"$out/referrals_post_body.json"
code=$(curl -s -o "$dir/ref.json" -w '%{http_code}' -H "Authorization: Bearer $lw" \
    -H 'Content-Type: application/json' -X POST "$url/api/v1/referrals" \
    --data-binary @"$out/referrals_post_body.json")
if [ "$code" != 201 ]; then
    echo "POST /api/v1/referrals answered $code:"
    head -c 400 "$dir/ref.json"
    echo
    exit 0
fi
before=$(curl -s -H "Authorization: Bearer $lw" "$url/api/v1/referrals?queue=outgoing&per_page=1" |
    sed -n 's/.*"total_items":\([0-9]*\).*/\1/p')
wrk -t2 -c"$conns" -d"${secs}s" --timeout 30s -H "Authorization: Bearer $lw" \
    -s bench/referrals.lua "$url/api/v1/referrals" -- post "$out/referrals_post_body.json" \
    >"$out/referrals_create.txt"
rps=$(sed -n 's/^Requests\/sec:\s*//p' "$out/referrals_create.txt")
line=$(grep '^percentiles:' "$out/referrals_create.txt")
echo "POST /api/v1/referrals ($conns connections): $rps req/s; $line"
after=$(curl -s -H "Authorization: Bearer $lw" "$url/api/v1/referrals?queue=outgoing&per_page=1" |
    sed -n 's/.*"total_items":\([0-9]*\).*/\1/p')
[ -n "$before" ] && [ -n "$after" ] &&
    echo "referrals the link worker's organisation made: $before before, $after after"
if [ "$report_ok" = 1 ]; then
    # The report again, now that the database has just been written to.
    code=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $admin" \
        "$url$first")
    echo "report after the writes: HTTP ${code% *}, $(awk -v t="${code#* }" 'BEGIN { printf "%.1f", t * 1000 }') ms"
fi
kill "$pid" 2>/dev/null || { echo "the server had stopped by itself:"; cat "$dir/serve.err"; }
wait "$pid" 2>/dev/null || true
pid=
