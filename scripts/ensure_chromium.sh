#!/usr/bin/env bash
# Chromium for the report test (headless, driven by Playwright), from Debian if missing: no
# browser is downloaded at run time.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        echo "Chromium is missing and installing it needs root: apt-get install chromium" >&2
        exit 1
    fi
    echo "installing Chromium from the Debian packages..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
fi
chromium --version
