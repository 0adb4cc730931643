"""How a kept original file is sent back: always as a download, with a type that cannot run.

The type comes from the accepted formats alone, spelled out so the answer does
not depend on the server's /etc/mime.types. A name the archive does not accept
(an original called ``x.svg`` or ``x.exe`` that was text inside) is sent as
``application/octet-stream``: a type guessed from such a name (``image/svg+xml``)
would let a browser run what the file holds.
"""

from pathlib import PurePath

from django.http import FileResponse, Http404

from reports.ingest.extract import FORMATS

# The formats the archive accepts, from their one table, so the answer does not depend on
# the server's /etc/mime.types. Text is sent without a charset: originals may be GB18030,
# Big5 or UTF-16, and a wrong charset would be worse than none.
ACCEPTED_TYPES = {suffix: kind.content_type for kind in FORMATS for suffix in kind.suffixes}
UNKNOWN_TYPE = "application/octet-stream"
# Sent with every original: nothing in it may run or load anything, should a
# browser show it instead of saving it.
ORIGINAL_POLICY = "default-src 'none'; sandbox"


def content_type_for(source_name: str) -> str:
    return ACCEPTED_TYPES.get(PurePath(source_name).suffix.lower(), UNKNOWN_TYPE)


def original_download(field_file, *, filename: str, missing: str) -> FileResponse:
    """The kept file byte for byte, as a download under ``filename``; 404 with ``missing`` if it is not there."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        # ValueError: no file attached; either way there is nothing to download.
        raise Http404(missing) from None
    # FileResponse sends Content-Disposition: attachment with the name correctly
    # encoded (RFC 5987) when it is Chinese; nosniff comes with every response.
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type_for(filename))
    response["Content-Security-Policy"] = ORIGINAL_POLICY
    return response
