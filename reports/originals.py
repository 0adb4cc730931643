"""How a kept original file is sent back: its content type, from the name it came with."""

import mimetypes
from pathlib import PurePath

from reports.ingest.extract import FORMATS

# The formats the archive accepts, from their one table, so the answer does not depend on
# the server's /etc/mime.types. Text is sent without a charset: originals may be GB18030,
# Big5 or UTF-16, and a wrong charset would be worse than none.
ACCEPTED_TYPES = {suffix: kind.content_type for kind in FORMATS for suffix in kind.suffixes}


def content_type_for(source_name: str) -> str:
    suffix = PurePath(source_name).suffix.lower()
    if suffix in ACCEPTED_TYPES:
        return ACCEPTED_TYPES[suffix]
    guessed, encoding = mimetypes.guess_type(source_name)
    # A compressed file (.gz) is sent as what it is, not as what it would unpack to.
    return guessed if guessed and not encoding else "application/octet-stream"
