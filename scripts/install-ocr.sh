#!/bin/sh
# Text recognition for scanned reports: Debian's Tesseract 5 with the Simplified
# and Traditional Chinese, English and orientation/script models, the Han script
# models that give a second opinion on the words the Chinese ones are unsure of,
# and the CJK fonts that bench/ocr.py and the tests draw their pages with.
set -e
PACKAGES="tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-script-hans tesseract-ocr-script-hant fonts-noto-cjk"
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends $missing >/dev/null
