"""Forms for staff: the upload form of the report admin's add page."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.ingest import IngestError
from reports.ingest.extract import FORMATS, SUPPORTED_SUFFIXES, check_size
from reports.models import Report

ACCEPTED_TYPES = ",".join(sorted(SUPPORTED_SUFFIXES) + sorted({kind.content_type for kind in FORMATS}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (Django's documented recipe)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = list(data) if isinstance(data, (list, tuple)) else [data]
        # No file at all goes through the single-file check too, for its "required" error.
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items or [None]]
        return [file for file in cleaned if file]


class ReportUploadForm(forms.Form):
    # Not "files": that name is taken by Form.files, the request's uploaded files.
    upload = MultipleFileField(
        label=gettext_lazy("Report files"),
        # Empty files get our message (with the file's name), not the field's generic one.
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}),
        help_text=gettext_lazy(
            "Plain text (UTF-8, UTF-16, GB18030 or Big5), an HTML page saved from a site, Word (.docx or .doc), "
            "WPS (.wps), RTF, OpenDocument (.odt), PDF, OFD, or scanned pages as PNG, JPEG or TIFF. Several "
            "files at once are fine. Each file is kept as it is and read in the background; the next page shows "
            "how far each one got. Title, date, document number, association, language and sections are read "
            "from the file; correct them on the report's page."
        ),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_upload(self):
        """Only what can be told without reading the files: each is within the size limit.

        Everything else (format, text, duplicates) is decided by the worker that
        reads them, which keeps the original and says why on the status page.
        """
        files = self.cleaned_data["upload"]
        refusals = []
        for file in files:
            try:
                check_size(file.size, filename=file.name, max_bytes=self.max_bytes)
            except IngestError as exc:
                refusals.append(str(exc))
        if refusals:
            if len(refusals) < len(files):
                # Say so, or staff would assume the files without a message went in.
                refusals.append(_("Nothing was stored: upload the other files again without the refused ones."))
            raise forms.ValidationError(refusals)
        return files


class ReportChangeForm(forms.ModelForm):
    """The report's change page: the stored warnings stay a list the pages can show."""

    class Meta:
        model = Report
        fields = "__all__"

    def clean_warnings(self):
        warnings = self.cleaned_data["warnings"]
        if not isinstance(warnings, list) or not all(
            isinstance(w, dict) and isinstance(w.get("kind"), str) and isinstance(w.get("message"), str)
            for w in warnings
        ):
            raise forms.ValidationError(
                _("Warnings must be a list of objects, each with a “kind” and a “message”; remove whole entries only.")
            )
        return warnings
