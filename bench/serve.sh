# bench/serve.sh: start `chis serve` for a bench script (sourced, not run).
#
#   bench_serve BIN DB DIR [LABEL]
#
# Serves DB on a free loopback port with 2 worker threads and no access
# log, its output in DIR/serve.out and DIR/serve.err; sets $pid and $url
# (http://127.0.0.1:PORT) once it listens, or prints why it did not start
# (prefixed with LABEL) and exits 1. The caller stops it: kill "$pid".
bench_serve() {
    "$1" serve --db "$2" --listen 127.0.0.1:0 --threads 2 --no-access-log \
        >"$3/serve.out" 2>"$3/serve.err" &
    pid=$!
    for _ in $(seq 100); do
        grep -q listening "$3/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    url=$(sed -n 's/.*listening on \(http:[^ ]*\)\/$/\1/p' "$3/serve.out")
    [ -n "$url" ] || {
        echo "${4:+$4: }the server did not start:"
        cat "$3/serve.err"
        exit 1
    }
}
