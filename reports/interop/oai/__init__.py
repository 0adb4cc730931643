"""OAI-PMH 2.0: the archive as a repository that library systems harvest (oai_dc records).

* ``protocol``: a request's arguments in, the response document out (all six verbs, every error);
* ``records``: which records, sets and pages, read from the database;
* ``dublin_core``: a report as unqualified Dublin Core, and the fingerprint that dates it;
* ``tokens``: resumption tokens, a stable cursor rather than an offset;
* ``xml``: the response elements, built with lxml;
* ``upkeep``: datestamps and deleted records kept as reports are saved and deleted.
"""

from reports.interop.oai.protocol import Repository, respond

__all__ = ["Repository", "respond"]
