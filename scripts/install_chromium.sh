#!/usr/bin/env bash
# Installs headless Chromium (Debian package `chromium`) for the report's browser test
# (python/tests/test_report_browser.py). Idempotent: does nothing when a Chromium is already there.
set -euo pipefail

for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then
        echo "chromium: $(command -v "$name") is installed"
        exit 0
    fi
done

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "error: installing chromium needs root (apt-get install -y chromium) and sudo is missing" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: no apt-get here: install Chromium yourself and set CHROMIUM_PATH to its binary" >&2
    exit 1
fi

echo "chromium: installing the Debian package (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq chromium >/dev/null
command -v chromium
