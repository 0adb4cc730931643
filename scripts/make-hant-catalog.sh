#!/bin/sh
# Derive the Traditional Chinese interface catalog from the Simplified one with OpenCC
# (standard Traditional forms, as the texts use), then compile both.
# Run after translating new strings in locale/zh_Hans/LC_MESSAGES/django.po:
#   sh scripts/make-hant-catalog.sh
# Needs Debian's gettext (msgfilter, msgfmt) and the virtualenv's opencc command.
set -e
cd "$(dirname "$0")/.."
OPENCC="${OPENCC:-.venv/bin/opencc}"
msgfilter --keep-header -i locale/zh_Hans/LC_MESSAGES/django.po -o locale/zh_Hant/LC_MESSAGES/django.po \
    "$OPENCC" -c s2t
sed -i 's/^"Language: zh_Hans\\n"$/"Language: zh_Hant\\n"/' locale/zh_Hant/LC_MESSAGES/django.po
.venv/bin/python manage.py compilemessages --locale zh_Hans --locale zh_Hant --ignore ".venv" --ignore "var"
