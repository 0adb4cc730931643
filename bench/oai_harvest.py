"""A full OAI-PMH harvest of a served archive, as a library's harvester makes it (bench/run.py's OAI figures).

ListRecords in oai_dc from the first page to the last, one request at a time,
following resumption tokens; each response is parsed with lxml, as harvesters
do, and its records counted. Only the standard library and lxml: the figures
are the server's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

from lxml import etree

OAI = "{http://www.openarchives.org/OAI/2.0/}"
# What bench/run.py's server needs for /oai/ to answer (it is off without an address).
OAI_ENV = {"ARCHIVE_OAI_ADMIN_EMAIL": "bench@example.org", "ARCHIVE_OAI_REPOSITORY_IDENTIFIER": "bench.example.org"}


@dataclass
class Harvest:
    records: int
    deleted: int
    pages: int
    seconds: float
    slowest_page_ms: float
    response_mb: float


def harvest(server, *, metadata_prefix: str = "oai_dc", timeout: float = 60) -> Harvest:
    """Harvest every record of ``server`` (a tests.server.gunicorn.GunicornServer that is running)."""
    query = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
    records = deleted = pages = size = 0
    slowest = 0.0
    began = time.perf_counter()
    while True:
        page_began = time.perf_counter()
        response = server.get("/oai/?" + urlencode(query), timeout=timeout)
        root = etree.fromstring(response.body)
        slowest = max(slowest, time.perf_counter() - page_began)
        if response.status != 200 or root.find(f"{OAI}error") is not None:
            raise RuntimeError(f"/oai/ answered {response.status}: {response.text[:500]}")
        pages += 1
        size += len(response.body)
        for header in root.iterfind(f"{OAI}ListRecords/{OAI}record/{OAI}header"):
            records += 1
            deleted += header.get("status") == "deleted"
        token = root.find(f"{OAI}ListRecords/{OAI}resumptionToken")
        if token is None or not token.text:
            break
        query = {"verb": "ListRecords", "resumptionToken": token.text}
    return Harvest(records, deleted, pages, time.perf_counter() - began, slowest * 1000, size / 1_000_000)
