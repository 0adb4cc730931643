"""Validate OAI-PMH responses against the protocol's schemas (tests/interop/oai/schemas/, see SOURCES.md).

The metadata and Identify descriptions are checked strictly (the schema's
``processContents="strict"``), so oai_dc records and the oai-identifier
description are validated too. No schema is fetched from the network.
"""

from functools import lru_cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
# Where the schemas point at each other, and the copy of each here.
LOCAL_COPIES = {
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": SCHEMAS / "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": SCHEMAS / "xml.xsd",
}
_ALL = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="oai_dc.xsd"/>
  <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai-identifier" schemaLocation="oai-identifier.xsd"/>
</xs:schema>"""


class _LocalCopies(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url in LOCAL_COPIES:
            return self.resolve_filename(str(LOCAL_COPIES[url]), context)
        return None


@lru_cache(maxsize=1)
def oai_pmh_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalCopies())
    document = etree.fromstring(_ALL.encode(), parser, base_url=str(SCHEMAS / "all.xsd"))
    return etree.XMLSchema(document)


def assert_valid(body: bytes) -> etree._Element:
    """Parse a response, fail with the schema's complaints if it is not valid, return its root."""
    assert body.startswith(b'<?xml version=\'1.0\' encoding=\'UTF-8\'?>') or body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), body[:60]
    root = etree.fromstring(body, etree.XMLParser(no_network=True, resolve_entities=False))
    schema = oai_pmh_schema()
    if not schema.validate(root):
        raise AssertionError("not valid OAI-PMH:\n" + "\n".join(str(e) for e in schema.error_log) + "\n" + body.decode()[:3000])
    return root
