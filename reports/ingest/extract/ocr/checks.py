"""`manage.py check --deploy`: say so when Tesseract lacks a model the scans are read with."""

from django.core import checks

from reports.ingest.extract.ocr.second import SECOND_MODELS, THIRD_MODELS, installed_models
from reports.ingest.extract.ocr.tesseract import MODELS

# The Debian package that brings each model.
PACKAGES = {
    "chi_sim": "tesseract-ocr-chi-sim", "chi_tra": "tesseract-ocr-chi-tra", "eng": "tesseract-ocr-eng",
    "osd": "tesseract-ocr-osd", "HanS": "tesseract-ocr-script-hans", "HanT": "tesseract-ocr-script-hant",
}


@checks.register(checks.Tags.compatibility, deploy=True)
def ocr_models_installed(app_configs, **kwargs):
    wanted = {*MODELS.values(), *SECOND_MODELS.values(), *THIRD_MODELS.values(), "osd"}
    missing = sorted(wanted - installed_models())
    if not missing:
        return []
    return [checks.Warning(
        f"Tesseract lacks the model(s) {', '.join(missing)}: scans are refused, or Chinese pages are "
        "read without the other models' opinions and misread more often.",
        hint="Install " + " ".join(PACKAGES[model] for model in missing) + " (scripts/install-ocr.sh does).",
        id="archive.W002",
    )]
