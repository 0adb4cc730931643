"""The body of a Word .docx file as plain text, one paragraph per block.

Page headers and footers live in separate parts of the file and are left out.
Headings are kept as lines of their own, so the section finder sees them as it
sees the headings of a text file.
"""

import io
import zipfile

import docx
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.ingest.errors import IngestError


def docx_to_text(data: bytes, *, filename: str) -> str:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(_("“%(name)s” could not be read as a Word document (%(error)s).") % {"name": filename, "error": exc}) from exc
    blocks: list[str] = []
    # Paragraphs and tables in document order; python-docx lists them separately.
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = _paragraph_text(Paragraph(element, document))
            if text:
                blocks.append(text)
        elif element.tag == qn("w:tbl"):
            blocks.extend(_table_rows(Table(element, document)))
    return "\n\n".join(blocks)


def _paragraph_text(paragraph: Paragraph) -> str:
    # Soft line breaks (Shift+Enter) stay line breaks; stray spaces at the ends go.
    return "\n".join(line.strip() for line in paragraph.text.splitlines() if line.strip())


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(_paragraph_text(p) for p in cell.paragraphs).strip()
            # Merged cells repeat the same cell object along the row.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append("  ".join(cells))
    return rows
