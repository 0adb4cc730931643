"""Scans and photos (PNG, JPEG, TIFF with any number of pages, 1-bit faxes included) read by OCR.

Pages are decoded one at a time, each checked for its size before its pixels
are, so a small file that unpacks to a huge image is refused, not loaded.
"""

import io
import warnings
from collections.abc import Iterator

from PIL import Image, UnidentifiedImageError

from reports.ingest.errors import IngestError
from reports.ingest.extract.ocr import OcrResult, Progress, ocr_pages
from reports.ingest.limits import ParseLimits

# Formats Pillow may report for the files we accept (MPO: a phone's JPEG with a preview inside).
IMAGE_FORMATS = {"PNG", "JPEG", "MPO", "TIFF"}
# A page of more pixels than this is refused, unless the caller says otherwise (ParseLimits.page_pixels).
MAX_PAGE_PIXELS = ParseLimits.page_pixels


def image_to_pages(data: bytes, *, filename: str, max_pixels: int = MAX_PAGE_PIXELS, max_pages: int | None = None,
                   progress: Progress | None = None) -> OcrResult:
    image = _open(data, filename=filename, max_pixels=max_pixels)
    count = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    if max_pages is not None and count > max_pages:
        raise IngestError("too_many_pages", name=filename, count=count, limit=max_pages)
    return ocr_pages(_frames(image, count, filename=filename, max_pixels=max_pixels), total=count, progress=progress)


def _open(data: bytes, *, filename: str, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise IngestError("image_too_large", name=filename, limit=max_pixels // 1_000_000) from error
    except (UnidentifiedImageError, OSError) as error:
        raise IngestError("unreadable_image", name=filename, error=str(error)) from error
    if image.format not in IMAGE_FORMATS:
        raise IngestError("unsupported_image", name=filename, kind=image.format)
    return image


def check_pixels(width: int, height: int, *, page: int, filename: str, max_pixels: int) -> None:
    """Refuse a page of more pixels than ``max_pixels`` before any of them is decoded."""
    if width * height > max_pixels:
        raise IngestError("page_too_large", page=page, name=filename, width=width, height=height,
                          limit=max_pixels // 1_000_000)


def _frames(image: Image.Image, count: int, *, filename: str, max_pixels: int) -> Iterator[Image.Image]:
    for index in range(count):
        try:
            image.seek(index)
        except (OSError, ValueError, EOFError) as error:
            raise IngestError("damaged_page_image", page=index + 1, name=filename, error=str(error)) from error
        check_pixels(image.width, image.height, page=index + 1, filename=filename, max_pixels=max_pixels)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                frame = image.copy()
                frame.load()
        except (OSError, ValueError, EOFError, SyntaxError) as error:
            raise IngestError("damaged_page_image", page=index + 1, name=filename, error=str(error)) from error
        frame.info.setdefault("dpi", image.info.get("dpi"))
        yield frame
