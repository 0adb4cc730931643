"""Why a file did not become a report: one stable code per reason, its message in one place.

An ``IngestError`` carries a ``code`` and the ``params`` of its message, so a
refusal can be stored (the upload record keeps the code and params) and shown
later in the reader's interface language, as Paperless-ngx does with its
message keys. ``str(error)`` is the message in the language active when it is
asked for: a readable sentence for ``manage.py ingest`` and for the form.

New reasons get a code and a message here, nowhere else. Params are plain
strings and numbers (they are stored as JSON).
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Refused before or while reading the file (raised as IngestError by reports.ingest).
    "too_large": _("“%(name)s” is %(size)s, over the limit of %(limit)s for one file."),
    "empty": _("“%(name)s” is empty."),
    "no_text": _("“%(name)s” has no text in it."),
    "zip_not_a_document": _(
        "“%(name)s” is a ZIP archive, not a Word .docx, OpenDocument .odt or OFD file: upload the report itself."
    ),
    "foreign_format": _(
        "“%(name)s” is a %(kind)s, not a report we can read. Upload the report as text, HTML, Word (.docx or .doc), "
        "WPS, RTF, OpenDocument .odt, PDF or OFD, or scanned pages as PNG, JPEG or TIFF."
    ),
    "misnamed": _("“%(name)s” is named %(suffix)s but is not a %(kind)s file."),
    "old_office_not_text": _(
        "“%(name)s” is an old Office file that is not a text document (a spreadsheet or slides?). "
        "Upload the report as a Word, WPS or PDF file."
    ),
    "not_text": _("“%(name)s” is not text in any supported encoding (UTF-8, UTF-16, GB18030, Big5)."),
    "unreadable_docx": _("“%(name)s” could not be read as a Word document (%(error)s)."),
    "unreadable_rtf": _("“%(name)s” could not be read as an RTF document."),
    "unreadable_ofd": _("“%(name)s” could not be read as an OFD document (%(error)s)."),
    "ofd_part_missing": _("“%(name)s” is an OFD package without its part “%(part)s”."),
    "ofd_inflates_too_much": _("“%(name)s” has a part that inflates to more than %(limit)d MB, over the limit for a part of an OFD document."),
    "ofd_no_text": _("“%(name)s” is an OFD document without text (scanned pages or images only)."),
    "libreoffice_missing": _(
        "“%(name)s” cannot be read: LibreOffice, which reads this kind of file, is not installed on the server."
    ),
    "libreoffice_unrecognised": _(
        "“%(name)s” could not be read: LibreOffice did not recognise it as a document (damaged, or protected by a password)."
    ),
    "libreoffice_timeout": _("LibreOffice took longer than %(duration)s to read “%(name)s”; it was given up."),
    "unreadable_pdf": _("“%(name)s” could not be read as a PDF (%(error)s)."),
    "pdf_password": _("“%(name)s” is a password-protected PDF; upload it without the password."),
    "too_many_pages": _("“%(name)s” has %(count)s pages, over the limit of %(limit)s for one file."),
    # The parse limits (reports.ingest.limits, settings ARCHIVE_MAX_*), checked before the expensive work.
    "too_many_characters": _("“%(name)s” has more than %(limit)s characters of text, over the limit for one report."),
    "zip_too_many_members": _("“%(name)s” is a package of %(members)s parts, over the limit of %(limit)s for one file."),
    "zip_member_too_large": _(
        "“%(name)s” holds a part (“%(member)s”) that inflates to more than %(limit_mb)s MB, over the limit for one part."
    ),
    "zip_ratio": _(
        "“%(name)s” holds a part (“%(member)s”) that inflates to more than %(ratio)s times its stored size: "
        "a compression bomb, not a document."
    ),
    "zip_too_large": _("“%(name)s” inflates to more than %(limit_mb)s MB in all, over the limit for one file."),
    "html_too_deep": _("“%(name)s” nests its HTML elements more than %(limit)s deep, over the limit for a page."),
    "html_too_many_elements": _("“%(name)s” has more than %(limit)s HTML elements, over the limit for a page."),
    "unreadable_image": _("“%(name)s” could not be read as an image (%(error)s)."),
    "unsupported_image": _("“%(name)s” is a %(kind)s image; scans are read as PNG, JPEG or TIFF."),
    "image_too_large": _(
        "“%(name)s” is an image of hundreds of millions of pixels, over the limit of %(limit)s million pixels for a page."
    ),
    "page_too_large": _(
        "Page %(page)s of “%(name)s” is %(width)s × %(height)s pixels, over the limit of %(limit)s million pixels for a page."
    ),
    "damaged_page_image": _("Page %(page)s of “%(name)s” could not be read: the image is damaged (%(error)s)."),
    "no_text_on_pages": _("No text could be read on the pages of “%(name)s”."),
    "ocr_missing": _("Text recognition (Tesseract) is not installed on this server: run scripts/install-ocr.sh."),
    "ocr_timeout": _("Text recognition gave up on a page after %(seconds)s seconds."),
    "ocr_failed": _("Text recognition failed on a page (%(error)s)."),
    "damaged": _("“%(name)s” could not be read: it looks damaged (%(error)s)."),
    "no_title": _("“%(name)s” has no text to take a title from."),
    "no_body": _("“%(name)s” has a title but no report text under it."),
    "duplicate": _("“%(name)s” is already in the archive (the same text, whatever its encoding)."),
    # Given by the worker when reading a file had to be stopped (reports.processing).
    "too_much_memory": _("“%(name)s” needs more than %(memory)s of memory to read; it was stopped."),
    "too_slow": _("“%(name)s” took longer than %(duration)s to read; it was stopped."),
    "reader_crashed": _("Reading “%(name)s” stopped unexpectedly (%(error)s)."),
    "store_failed": _("“%(name)s” was read but could not be stored (%(error)s)."),
    "worker_stopped": _("The worker stopped %(times)s times while reading “%(name)s”; it was not tried again."),
    "original_missing": _("The original of “%(name)s” is no longer in the file storage; upload it again."),
}

# Reasons that say nothing against the file itself: the server lacks a tool, or a tool ran out
# of time on this machine. An upload stopped by one ends ``failed`` (reading it again may work
# once the cause is gone), not ``refused`` (the file cannot be a report), like a capped reading.
NOT_THE_FILE = frozenset({"ocr_missing", "ocr_timeout", "libreoffice_missing", "libreoffice_timeout"})


def message(code: str, params: dict) -> str:
    """The message for a stored reason, in the active language."""
    template = MESSAGES.get(code)
    if template is None:  # a reason stored by a newer or older version
        return code
    try:
        return str(template) % {**params, **_worded(params)}
    except (KeyError, TypeError, ValueError):
        return str(template)


def _worded(params: dict) -> dict:
    """Amounts stored as numbers (so any language can word them), worded for the message."""
    worded = {}
    if "kind" in params:
        # Kinds of file are stored in English, marked where they are named (gettext_noop).
        worded["kind"] = gettext(params["kind"])
    if "seconds" in params:
        worded["duration"] = duration(params["seconds"])
    if "megabytes" in params:
        worded["memory"] = memory(params["megabytes"])
    return worded


def duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 120 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def memory(megabytes: int) -> str:
    if megabytes >= 1024 and megabytes % 1024 == 0:
        return f"{megabytes // 1024} GB"
    return f"{megabytes} MB"


class IngestError(ValueError):
    """A file that cannot become a report; the message is shown to the person who gave it."""

    def __init__(self, code: str, **params):
        if code not in MESSAGES:
            raise ValueError(f"Unknown ingest error code {code!r}: add its message to reports/ingest/errors.py.")
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return message(self.code, self.params)

    @property
    def not_the_file(self) -> bool:
        """The server, not the file, is why it was not read (see ``NOT_THE_FILE``)."""
        return self.code in NOT_THE_FILE

    def __reduce__(self):
        # Sent from the capped child to its parent: rebuilt from the code and params.
        return _rebuild, (self.code, self.params)


def _rebuild(code: str, params: dict) -> IngestError:
    return IngestError(code, **params)
