"""The elements of OAI-PMH responses, built with lxml: one page at a time, never a whole list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from lxml import etree

from reports.interop.oai.dublin_core import Element
from reports.text import xml_safe

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{{{XSI}}}schemaLocation"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def utc(moment: datetime) -> str:
    """A datestamp at the repository's granularity, seconds: YYYY-MM-DDThh:mm:ssZ."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_uri(value: str) -> bool:
    """Whether ``value``, echoed, is an xs:anyURI (an identifier must be), as libxml2 checks it."""
    # libxml2's own rule (it escapes some characters, then parses a URI reference) is
    # what validates the answers; a schema of one element asks it directly.
    schema = etree.XMLSchema(etree.XML(_ANY_URI_SCHEMA))
    element = etree.Element("uri")
    element.text = xml_safe(value)
    return schema.validate(element)


_ANY_URI_SCHEMA = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="uri" type="xs:anyURI"/></xs:schema>'


def sub(parent: etree._Element, tag: str, value: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI}}}{tag}", {k: xml_safe(v) for k, v in attributes.items()})
    if value is not None:
        element.text = xml_safe(value)
    return element


def document(*, response_date: datetime, base_url: str, arguments: Mapping[str, str]) -> etree._Element:
    """The root with responseDate and request; ``arguments`` are echoed as the request's attributes."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(_SCHEMA_LOCATION, f"{OAI} {OAI_SCHEMA}")
    sub(root, "responseDate", utc(response_date))
    sub(root, "request", base_url, **arguments)
    return root


def error(root: etree._Element, code: str, message: str) -> None:
    sub(root, "error", message, code=code)


def header(parent: etree._Element, *, identifier: str, datestamp: datetime, set_specs: Iterable[str], deleted: bool) -> None:
    element = sub(parent, "header", **({"status": "deleted"} if deleted else {}))
    sub(element, "identifier", identifier)
    sub(element, "datestamp", utc(datestamp))
    for spec in set_specs:
        sub(element, "setSpec", spec)


def dublin_core(parent: etree._Element, elements: Iterable[Element]) -> None:
    metadata = sub(parent, "metadata")
    dc = etree.SubElement(metadata, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    dc.set(_SCHEMA_LOCATION, f"{OAI_DC} {OAI_DC_SCHEMA}")
    for item in elements:
        element = etree.SubElement(dc, f"{{{DC}}}{item.name}")
        element.text = xml_safe(item.value)
        if item.lang:
            element.set(_XML_LANG, item.lang)


def oai_identifier(parent: etree._Element, *, repository_identifier: str, sample: str) -> None:
    """Identify's description in the oai-identifier scheme, so harvesters can parse our identifiers."""
    description = sub(parent, "description")
    scheme = etree.SubElement(description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER, "xsi": XSI})
    scheme.set(_SCHEMA_LOCATION, f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}")
    for tag, value in (("scheme", "oai"), ("repositoryIdentifier", repository_identifier), ("delimiter", ":"), ("sampleIdentifier", sample)):
        etree.SubElement(scheme, f"{{{OAI_IDENTIFIER}}}{tag}").text = value


def resumption_token(parent: etree._Element, value: str, *, cursor: int, complete_list_size: int) -> None:
    attributes = {"cursor": str(cursor)}
    if complete_list_size > 0:  # a positiveInteger in the schema
        attributes["completeListSize"] = str(complete_list_size)
    sub(parent, "resumptionToken", value, **attributes)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
