#!/bin/sh
# Make sure the Debian packages chis builds and tests with are installed.
# As root: install what is missing with apt-get. Otherwise: print the one
# apt-get line to run, and stop.
set -e
missing=""
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# Node.js and npm may come from Debian or be on the machine already.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "chis: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "chis: these Debian packages are missing:$missing"
    echo "Run this, then run make again:"
    echo "  sudo apt-get install -y$missing"
    exit 1
fi
