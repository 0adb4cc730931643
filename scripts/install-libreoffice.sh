#!/bin/sh
# LibreOffice Writer without its GUI, run headless by the ingest pipeline to read
# .doc, .wps and .odt files (reports/ingest/extract/libreoffice.py); the tests
# also use it to write the .doc, .rtf and .odt files they read.
set -e
if command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libswlo.so ]; then
    exit 0
fi
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
