"""CSV answers for the API (``?format=csv``): a view gives rows, the first the header."""

from __future__ import annotations

import csv
import io

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Rows (lists of cells) as CSV; an error answer (a dict) as its message.

    UTF-8 with a byte-order mark: spreadsheet programs then read Chinese text right
    (Python's ``csv`` with ``encoding="utf-8-sig"`` and pandas skip the mark).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict):   # an error: {"detail": ...}
            data = [["detail"], [data.get("detail", "")]]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows(data)
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def attachment(response, filename: str):
    """Mark a CSV answer as a download named ``filename``."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
