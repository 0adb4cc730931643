#!/bin/sh
# Debian's chromium for the browser tests, CJK fonts so screenshots show the text,
# and axe-core (npm, pinned in tests/browser/axe/package-lock.json) for the accessibility audit.
set -e
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
apt_install() {
    $SUDO apt-get update -qq
    $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "cjk"; then
    apt_install chromium fonts-noto-cjk
fi
AXE=tests/browser/axe
# npm ci again when the lock file changed since the last install.
if [ ! -f "$AXE/node_modules/axe-core/axe.min.js" ] || [ "$AXE/package-lock.json" -nt "$AXE/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    npm ci --prefix "$AXE" --no-audit --no-fund --silent
fi
