# The two commands of the README: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test install install-dev browser ocr libreoffice data clean

# gunicorn and the background worker (uploads, periodic upkeep); Ctrl-C stops both.
serve: install ocr libreoffice data
	@echo "Serving on http://$(HOST):$(PORT)/ (with the background worker)"
	$(PY) scripts/serve.py $(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) archive.wsgi

test: install-dev browser ocr libreoffice
	$(PY) -m pytest

# Debian's own python3 needs its python3-venv package for this; install it if missing.
$(PY):
	$(PYTHON) -m venv $(VENV) || { sh scripts/install-venv-support.sh && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Playwright cannot download its browser here: the tests drive Debian's chromium.
browser:
	@sh scripts/install-browser.sh

# Text recognition for scanned reports: Debian's Tesseract 5 and its Chinese and English models.
ocr:
	@sh scripts/install-ocr.sh

# LibreOffice Writer, headless: reads uploaded .doc, .wps and .odt files.
libreoffice:
	@sh scripts/install-libreoffice.sh

# Migrate, load the seed corpus, build the index, collect static files, make a staff account.
data: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ingest seeds/
	$(PY) manage.py rebuild_index --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py ensure_staff --base-url http://$(HOST):$(PORT)

clean:
	rm -rf $(VENV) test-output
