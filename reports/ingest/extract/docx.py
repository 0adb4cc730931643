"""The body of a Word .docx file as plain text, one paragraph per block.

Page headers and footers live in separate parts of the file and are left out.
Headings are kept as lines of their own, so the section finder sees them as it
sees the headings of a text file; Word's automatic numbering is written out
(``一、`` ``（一）`` ``1.``), since in official documents it carries the headings.
"""

import io
import zipfile
import zlib

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from reports.ingest.errors import IngestError
from reports.ingest.extract.docx_numbering import WordNumbering
from reports.ingest.extract.zipped import checked_zip
from reports.ingest.limits import ParseLimits


def docx_to_text(data: bytes, *, filename: str, limits: ParseLimits = ParseLimits()) -> str:
    try:
        # python-docx loads every part into memory: only a package known to fit is given to it.
        checked_zip(data, filename=filename, limits=limits)
        document = docx.Document(io.BytesIO(data))
    except IngestError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        raise IngestError("unreadable_docx", name=filename, error=str(exc)) from exc
    numbering = WordNumbering(document)
    blocks: list[str] = []
    # Paragraphs and tables in document order; python-docx lists them separately.
    for element in _blocks(document.element.body):
        if element.tag == qn("w:p"):
            text = numbering.numbered(element, _paragraph_text(Paragraph(element, document)))
            if text:
                blocks.append(text)
        else:
            blocks.extend(_table_rows(element, document, numbering))
    return "\n\n".join(blocks)


def _blocks(container):
    """Paragraphs and tables, also those inside content controls (``w:sdt``: cover pages, boxes of text)."""
    for element in container.iterchildren():
        if element.tag in (qn("w:p"), qn("w:tbl")):
            yield element
        elif element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(paragraph: Paragraph) -> str:
    # Soft line breaks (Shift+Enter) stay line breaks; stray spaces at the ends go.
    return "\n".join(line.strip() for line in paragraph.text.splitlines() if line.strip())


def _table_rows(table, document, numbering: WordNumbering) -> list[str]:
    rows = []
    for row in table.iterchildren(qn("w:tr")):
        cells: list[str] = []
        # Each cell once (a merged cell is one w:tc), so its numbered paragraphs count once.
        for cell in row.iter(qn("w:tc")):
            parts = []
            for element in _blocks(cell):
                if element.tag == qn("w:p"):
                    text = numbering.numbered(element, _paragraph_text(Paragraph(element, document)))
                    if text:
                        parts.append(text)
            text = " ".join(parts).strip()
            if text:
                cells.append(text)
        if cells:
            rows.append("  ".join(cells))
    return rows
