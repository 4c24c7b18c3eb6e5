# bench/lib.sh: what every bench script starts with (sourced, not run).

# bench_scratch NAME: a scratch folder in $dir, removed on exit with the
# server in $pid (if one was started); a failure names the script NAME.
bench_scratch() {
    bench_name=$1
    dir=$(mktemp -d)
    pid=
    trap 'st=$?; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"
          [ "$st" -eq 0 ] || echo "$bench_name: stopped early (status $st)" >&2' EXIT
}

# bench_machine: the first line of every report: the machine and its load now.
bench_machine() {
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo),"\
         "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load now: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_serve BIN DB DIR [LABEL]: serve DB on a free loopback port with 2
# worker threads and no access log, its output in DIR/serve.out and
# DIR/serve.err; sets $pid and $url (http://127.0.0.1:PORT) once it
# listens, or prints why it did not start (prefixed with LABEL) and exits 1.
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
