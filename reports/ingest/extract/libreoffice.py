"""Text of a word-processor file, read by LibreOffice headless (Debian's ``libreoffice-writer-nogui``).

Used for the formats only a full word processor reads faithfully: Word 97-2003
``.doc``, Kingsoft WPS ``.wps`` and OpenDocument ``.odt``. LibreOffice draws
Word's automatic numbering (``一、`` ``（一）``) into the text it exports, which a
report's headings depend on.

Each conversion runs its own ``soffice`` with a throw-away profile directory
(``-env:UserInstallation``): two conversions sharing a profile would hand the
second file to the first process, and a profile holds state a hostile file
could leave behind. The profile is written before start so that the process
never fetches anything (every proxy points at a closed port), never updates
links, and runs no macros. The whole process group is killed at the time limit.

Memory: ``soffice`` inherits the resource limits of the process that starts
it, each process capped on its own (it gets its own cap, not a share of the
parsing child's ``ARCHIVE_PARSE_MEMORY_MB``, 1 GB by default). Measured with a
small .doc: under ``RLIMIT_AS`` it needs more than 400 MB (it maps that much
before reading anything) and converts at 600 MB; under ``RLIMIT_DATA`` (the
cap the upload worker's child sets) it needs more than 100 MB and converts at
200 MB. ``bench/formats.py --memory-mb`` repeats the address-space check.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path


from reports.ingest.errors import IngestError
from reports.ingest.numbering import tidy_list_line

DEFAULT_TIMEOUT_SECONDS = 60
SOFFICE = "soffice"
# LibreOffice's plain-text export, in UTF-8 (it writes a BOM).
_TEXT_FILTER = "txt:Text (encoded):UTF8"

# Written into the fresh profile before LibreOffice starts (its registry format, .xcu).
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def convert_to_text(data: bytes, *, filename: str, suffix: str, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                    soffice: str = SOFFICE) -> str:
    """The text LibreOffice reads from ``data`` (a file of type ``suffix``, e.g. ".doc").

    Raises IngestError when LibreOffice is missing, runs past ``timeout`` seconds,
    or cannot read the file.
    """
    converted = convert(data, filename=filename, suffix=suffix, to=_TEXT_FILTER, timeout=timeout, soffice=soffice)
    text = converted.decode("utf-8-sig", errors="replace")
    return "\n".join(tidy_list_line(line) for line in text.replace("\r\n", "\n").split("\n"))


def convert(data: bytes, *, filename: str, suffix: str, to: str, timeout: float = DEFAULT_TIMEOUT_SECONDS,
            soffice: str = SOFFICE) -> bytes:
    """``data`` (of type ``suffix``) converted by LibreOffice with the output filter ``to``
    (``"doc"``, ``"odt"``, ``"txt:Text (encoded):UTF8"``...), in a process and profile of its own."""
    executable = shutil.which(soffice)
    if executable is None:
        raise IngestError("libreoffice_missing", name=filename)
    with tempfile.TemporaryDirectory(prefix="archive-soffice-") as work:
        folder = Path(work)
        # Never the uploaded name: it could hold anything, and LibreOffice names its output after it.
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
        output = folder / "out"
        command = [
            executable, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", to, "--outdir", str(output), str(source),
        ]
        _run(command, timeout=timeout, filename=filename, home=folder)
        produced = list(output.glob("document.*"))
        if not produced:
            raise IngestError("libreoffice_unrecognised", name=filename)
        return produced[0].read_bytes()


def _run(command: list[str], *, timeout: float, filename: str, home: Path) -> None:
    # Its own process group, so the time limit ends soffice.bin too, not only the launcher.
    environment = {**os.environ, "HOME": str(home), "TMPDIR": str(home), "SAL_USE_VCLPLUGIN": "svp"}
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=environment, cwd=home, start_new_session=True,
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        # Not reaped yet, so the group id is still ours to kill.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise IngestError("libreoffice_timeout", name=filename, seconds=timeout) from None
