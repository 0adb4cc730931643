"""Kingsoft WPS Writer ``.wps`` files, read by LibreOffice.

WPS Office (2005 to 2019) saves ``.wps`` in the Word 97 binary format inside an
OLE compound file, with its own streams and properties beside it
(``WpsCustomData``, ``KSOProductBuildVer``); LibreOffice's Word 97 filter reads
it, and its type detection also takes Microsoft Works ``.wps`` files. WPS Office
2023 and later may save ``.wps`` as an Office Open XML package, which the
format sniffer sends to the .docx reader instead.
"""

from reports.ingest.extract.libreoffice import DEFAULT_TIMEOUT_SECONDS, convert_to_text


def wps_to_text(data: bytes, *, filename: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> str:
    return convert_to_text(data, filename=filename, suffix=".wps", timeout=timeout)
