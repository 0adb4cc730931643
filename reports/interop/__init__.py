"""Interchange: what libraries, reference managers and scripts take from the archive.

One public face: the rest of the code imports from here, not from the modules.
OAI-PMH 2.0 (``oai/``): ``Repository`` describes this archive as a repository
and ``respond`` answers one protocol request with its XML.
"""

from reports.interop.oai import Repository, respond

__all__ = ["Repository", "respond"]
