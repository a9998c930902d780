#!/bin/sh
# Install headless Chromium and its WebDriver for the report browser tests (Debian packages).
# Idempotent: does nothing when /usr/bin/chromium and /usr/bin/chromedriver exist; installs them
# with apt-get only when running as root; always exits 0 and says what it did, so `make test`
# goes on and the browser tests skip with a clear reason when the browser is still missing.
set -u

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "install-browser: chromium and chromedriver already installed"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "install-browser: chromium/chromedriver missing and not root; skipped" \
         "(as root: apt-get install -y chromium chromium-driver)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: chromium/chromedriver missing and apt-get not available; skipped"
    exit 0
fi
echo "install-browser: installing chromium and chromium-driver with apt-get"
if DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
   && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        chromium chromium-driver >/dev/null; then
    echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
    echo "install-browser: apt-get failed; the browser tests will be skipped"
fi
exit 0
