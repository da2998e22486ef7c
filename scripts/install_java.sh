#!/usr/bin/env bash
# Spark needs a Java runtime (17 or later) on PATH: the machine images have one, a bare machine (as
# root, with apt-get) gets Debian's openjdk-17-jre-headless. Used by `make pytest` (the strict
# reader on Spark) and scripts/test_warehouses.sh.
set -euo pipefail

die() { echo "install_java.sh: error: $*" >&2; exit 1; }

if ! command -v java >/dev/null 2>&1; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "install_java.sh: no java on PATH: installing openjdk-17-jre-headless with apt-get" >&2
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; } >&2 \
            || die "could not install openjdk-17-jre-headless"
    fi
    command -v java >/dev/null 2>&1 \
        || die "Spark needs a Java runtime (17 or later) on PATH: apt-get install -y openjdk-17-jre-headless"
fi
