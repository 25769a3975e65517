#!/usr/bin/env bash
# Makes sure Debian's headless Chromium is at /usr/bin/chromium for the browser test of
# `storsim report` (test/reports/browser.test.ts). Never downloads a browser from anywhere but
# Debian's package registry (no Playwright browser download). Exit 0 when Chromium is there
# afterwards, non-zero (with a message on stderr) when it could not be installed.
set -uo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: /usr/bin/chromium is missing and apt-get is not available" >&2
  exit 1
fi
sudo_cmd=()
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo -n)
  else
    echo "setup-chromium: /usr/bin/chromium is missing and installing it needs root (apt-get install -y chromium)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get install -y chromium >&2; then
  # The package lists may be missing or stale on a fresh machine.
  "${sudo_cmd[@]}" apt-get update >&2 && "${sudo_cmd[@]}" apt-get install -y chromium >&2
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "setup-chromium: apt-get install chromium did not provide /usr/bin/chromium" >&2
exit 1
