#!/bin/sh
# Collect the interface strings into locale/zh_Hans, then derive zh_Hant and compile both.
# The catalog is kept sorted, without source locations or a creation date, so that work
# on different pages adds lines in different places instead of rewriting the whole file.
# Run after adding or changing strings; translate the new empty msgstr lines in
# locale/zh_Hans/LC_MESSAGES/django.po, then run it again.
set -e
cd "$(dirname "$0")/.."
PO=locale/zh_Hans/LC_MESSAGES/django.po
.venv/bin/python manage.py makemessages --locale zh_Hans --no-location \
    --ignore ".venv" --ignore "var" --ignore "tests" --ignore "bench" --verbosity 0
msgcat --sort-output --no-location --output-file "$PO" "$PO"
sed -i '/^"POT-Creation-Date: /d' "$PO"
sh scripts/make-hant-catalog.sh
