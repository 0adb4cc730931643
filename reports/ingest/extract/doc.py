"""Word 97-2003 ``.doc`` files, read by LibreOffice (the binary format has no lighter faithful reader)."""

from reports.ingest.extract.libreoffice import DEFAULT_TIMEOUT_SECONDS, convert_to_text


def doc_to_text(data: bytes, *, filename: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str:
    return convert_to_text(data, filename=filename, suffix=".doc", timeout=timeout)
