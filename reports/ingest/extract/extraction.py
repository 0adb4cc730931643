"""What a reader of a format hands on: the text, and the pages OCR read to get it."""

from dataclasses import dataclass, field

from reports.ingest.extract.ocr import OcrPage, OcrResult


@dataclass
class Extraction:
    text: str
    # Pages read by OCR: every page of a scan, the pages without a text layer of a mixed PDF.
    scanned: list[OcrPage] = field(default_factory=list)
    # The issuing body's letterhead as printed in red on a scan's first page ("" if none).
    letterhead: str = ""
    page_count: int = 0

    @classmethod
    def from_ocr(cls, result: OcrResult) -> "Extraction":
        return cls(text=result.text, scanned=result.pages, letterhead=result.letterhead, page_count=len(result.pages))
