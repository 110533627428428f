#!/usr/bin/env bash
# Java for the local Spark of the tests, from Debian if missing (pyspark needs Java 17 or newer).
set -euo pipefail
if ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        echo "Java is missing and installing it needs root: apt-get install default-jre-headless" >&2
        exit 1
    fi
    echo "installing Java from the Debian packages..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless >/dev/null; }
fi
java -version 2>&1 | head -n 1
