"""OAI-PMH 2.0: one request's arguments in, the response document out.

Every verb and every error condition of the protocol (section 3.6 of the
specification). Arguments are checked first; a badVerb or badArgument answer
echoes no arguments, every other answer echoes them all. Independent errors
(an unknown identifier and an unknown metadataPrefix) are reported together.

Datestamps are at seconds granularity; ``from`` and ``until`` are accepted at
day or seconds granularity (both the same) and are inclusive: until=2024-05-01
takes in the whole day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from lxml import etree

from reports.interop.oai import dublin_core, records, tokens, xml
from reports.interop.oai.records import Entry, Selection

PROTOCOL_VERSION = "2.0"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_FORMATS = {"oai_dc": (xml.OAI_DC_SCHEMA, xml.OAI_DC)}
RESUMPTION_TOKEN = "resumptionToken"


@dataclass(frozen=True)
class Arguments:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None  # resumptionToken: alone, or not at all


_LISTS = Arguments(("metadataPrefix",), ("from", "until", "set"), RESUMPTION_TOKEN)
VERBS = {
    "Identify": Arguments(),
    "ListMetadataFormats": Arguments(optional=("identifier",)),
    "ListSets": Arguments(exclusive=RESUMPTION_TOKEN),
    "GetRecord": Arguments(("identifier", "metadataPrefix")),
    "ListIdentifiers": _LISTS,
    "ListRecords": _LISTS,
}

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")  # metadataPrefixType of OAI-PMH.xsd


@dataclass(frozen=True)
class Repository:
    """This archive as an OAI-PMH repository: what Identify says, and how records are named."""

    name: str
    base_url: str  # the absolute URL of /oai/
    site_url: str  # the site's root, without the final slash: records link to site_url + their path
    identifier: str  # the repositoryIdentifier in oai:IDENTIFIER:report/ID
    admin_emails: tuple[str, ...]
    page_size: int
    description_chars: int

    @classmethod
    def from_settings(cls, *, base_url: str, site_url: str) -> Repository:
        return cls(
            name=settings.ARCHIVE_OAI_REPOSITORY_NAME, base_url=base_url, site_url=site_url.rstrip("/"),
            identifier=settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER,
            admin_emails=tuple(settings.ARCHIVE_OAI_ADMIN_EMAILS), page_size=settings.ARCHIVE_OAI_PAGE_SIZE,
            description_chars=settings.ARCHIVE_OAI_DESCRIPTION_CHARS,
        )

    def oai_identifier(self, pk: int) -> str:
        return f"oai:{self.identifier}:report/{pk}"

    def report_pk(self, identifier: str) -> int | None:
        match = re.fullmatch(rf"oai:{re.escape(self.identifier)}:report/([1-9][0-9]{{0,17}})", identifier)
        return int(match.group(1)) if match else None


class ProtocolError(Exception):
    def __init__(self, *errors: tuple[str, str]):
        super().__init__(errors)
        self.errors = errors  # (code, message) pairs


def respond(arguments: Mapping[str, list[str]], *, repository: Repository, now: datetime) -> bytes:
    """The response to one request, given each argument's values (a QueryDict's ``lists()``, as a dict)."""
    verb, errors = _check(arguments)
    echoed = {} if errors else {key: values[0] for key, values in arguments.items()}
    if not errors:
        try:
            fill = _HANDLERS[verb](_Request(repository, now, echoed))
        except ProtocolError as failure:
            errors = list(failure.errors)
    root = xml.document(response_date=now, base_url=repository.base_url, arguments=echoed)
    if errors:
        for code, message in errors:
            xml.error(root, code, message)
    else:
        fill(xml.sub(root, verb))
    return xml.serialize(root)


def _check(arguments: Mapping[str, list[str]]) -> tuple[str, list[tuple[str, str]]]:
    """The verb, and the badVerb or badArgument errors of the request's arguments."""
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        message = "The verb is repeated." if len(verbs) > 1 else (
            f"“{verbs[0]}” is not an OAI-PMH verb." if verbs else "The request has no verb."
        )
        return "", [("badVerb", message)]
    verb, spec = verbs[0], VERBS[verbs[0]]
    errors = []
    keys = set(arguments) - {"verb"}
    allowed = set(spec.required) | set(spec.optional) | ({spec.exclusive} if spec.exclusive else set())
    for key in sorted(keys - allowed):
        errors.append(("badArgument", f"{verb} takes no argument “{key}”."))
    for key in sorted(keys & allowed):
        if len(arguments[key]) > 1:
            errors.append(("badArgument", f"The argument “{key}” is repeated."))
    if spec.exclusive in keys:
        if keys - {spec.exclusive}:
            errors.append(("badArgument", f"{spec.exclusive} is an exclusive argument: it comes alone with the verb."))
        return verb, errors
    for key in spec.required:
        if key not in keys:
            errors.append(("badArgument", f"{verb} needs the argument “{key}”."))
    if errors:
        return verb, errors
    values = {key: arguments[key][0] for key in keys}
    if "metadataPrefix" in values and not _PREFIX.fullmatch(values["metadataPrefix"]):
        errors.append(("badArgument", "The metadataPrefix has characters a prefix cannot have."))
    if "identifier" in values and not xml.is_uri(values["identifier"]):
        errors.append(("badArgument", "The identifier is not a URI."))
    if "set" in values and not records.SET_SPEC.fullmatch(values["set"]):
        errors.append(("badArgument", "The set is not a setSpec (letters, digits and -_.!~*'() parts joined by colons)."))
    errors += _check_dates(values.get("from"), values.get("until"))
    return verb, errors


def _check_dates(start: str | None, end: str | None) -> list[tuple[str, str]]:
    errors = []
    for name, value in (("from", start), ("until", end)):
        if value is not None and _parse_date(value) is None:
            errors.append(("badArgument", f"“{name}” must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, a real date in UTC."))
    if errors or start is None or end is None:
        return errors
    if len(start) != len(end):
        return [("badArgument", "“from” and “until” must have the same granularity.")]
    if start > end:  # same format, so the strings order as the dates do
        return [("badArgument", "“from” is later than “until”.")]
    return []


def _parse_date(value: str) -> datetime | None:
    pattern = _DAY if len(value) == 10 else _SECOND
    if not pattern.fullmatch(value):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d" if pattern is _DAY else "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _until_end(value: str) -> datetime:
    """The last moment an until value takes in: the whole day, or the whole second."""
    step = timedelta(days=1) if len(value) == 10 else timedelta(seconds=1)
    # The step less a microsecond, added at once: the end of 9999-12-31 is datetime's last
    # moment, and the day after it (step first) would overflow.
    return _parse_date(value) + (step - timedelta(microseconds=1))


@dataclass(frozen=True)
class _Request:
    repository: Repository
    now: datetime
    arguments: dict[str, str]


Fill = Callable[[etree._Element], None]


def _identify(request: _Request) -> Fill:
    repository = request.repository
    earliest = records.earliest_datestamp() or request.now

    def fill(element):
        xml.sub(element, "repositoryName", repository.name)
        xml.sub(element, "baseURL", repository.base_url)
        xml.sub(element, "protocolVersion", PROTOCOL_VERSION)
        for email in repository.admin_emails:
            xml.sub(element, "adminEmail", email)
        xml.sub(element, "earliestDatestamp", xml.utc(earliest))
        xml.sub(element, "deletedRecord", "persistent")
        xml.sub(element, "granularity", GRANULARITY)
        # The oai-identifier scheme needs a domain name; a local run ("localhost") goes without.
        if "." in repository.identifier:
            xml.oai_identifier(element, repository_identifier=repository.identifier, sample=repository.oai_identifier(1))

    return fill


def _list_metadata_formats(request: _Request) -> Fill:
    if "identifier" in request.arguments:
        _find(request, request.arguments["identifier"], description_chars=0)

    def fill(element):
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            format_element = xml.sub(element, "metadataFormat")
            xml.sub(format_element, "metadataPrefix", prefix)
            xml.sub(format_element, "schema", schema)
            xml.sub(format_element, "metadataNamespace", namespace)

    return fill


def _list_sets(request: _Request) -> Fill:
    size = request.repository.page_size
    token = _load_token(request)
    after, cursor = (token.last_slug, token.cursor) if token else (None, 0)
    sets, last_slug = records.sets_page(after_slug=after, size=size)

    def fill(element):
        for spec, name in sets:
            set_element = xml.sub(element, "set")
            xml.sub(set_element, "setSpec", spec)
            xml.sub(set_element, "setName", name)
        if last_slug is not None or token:
            value = tokens.dump(tokens.SetsToken(last_slug, cursor + len(sets))) if last_slug is not None else ""
            xml.resumption_token(element, value, cursor=cursor, complete_list_size=records.set_count())

    return fill


def _get_record(request: _Request) -> Fill:
    errors = []
    try:
        _check_prefix(request.arguments["metadataPrefix"])
    except ProtocolError as failure:
        errors += failure.errors
    try:
        entry = _find(request, request.arguments["identifier"], description_chars=request.repository.description_chars)
    except ProtocolError as failure:
        errors += failure.errors
    if errors:
        raise ProtocolError(*errors)
    return lambda element: _record(element, entry, request.repository)


def _list(request: _Request, *, with_records: bool) -> Fill:
    repository = request.repository
    token = _load_token(request)
    if token:
        prefix, set_spec, after, cursor = token.metadata_prefix, token.set_spec, token.last, token.cursor
        selection = _selection(set_spec, lower=token.lower, upper=token.upper)
    else:
        prefix, set_spec, after, cursor = request.arguments["metadataPrefix"], request.arguments.get("set"), None, 0
        _check_prefix(prefix)
        start, end = request.arguments.get("from"), request.arguments.get("until")
        # The list's upper bound is fixed now: what changes during the harvest is dated later
        # and comes with the next one, so nothing is given twice or lost between pages.
        upper = min(_until_end(end), request.now) if end else request.now
        selection = _selection(set_spec, lower=_parse_date(start) if start else None, upper=upper)
    entries, more = records.page(
        selection, after=after, size=repository.page_size,
        description_chars=repository.description_chars if with_records else None,
    )
    if not entries:
        raise ProtocolError(("noRecordsMatch", "No records match these arguments."))
    next_token = tokens.RecordsToken(
        request.arguments["verb"], prefix, set_spec, selection.lower, selection.upper, entries[-1].key,
        cursor + len(entries),
    )

    def fill(element):
        for entry in entries:
            if with_records:
                _record(element, entry, repository)
            else:
                _header(element, entry, repository)
        if more or token:
            xml.resumption_token(
                element, tokens.dump(next_token) if more else "", cursor=cursor, complete_list_size=records.count(selection)
            )

    return fill


def _selection(set_spec: str | None, *, lower: datetime | None, upper: datetime) -> Selection:
    if set_spec is None:
        return Selection(lower, upper)
    sets = records.set_filter(set_spec)
    if sets is None:
        raise ProtocolError(("noRecordsMatch", f"The archive has no set “{set_spec}”."))
    return Selection(lower, upper, sets)


def _load_token(request: _Request):
    value = request.arguments.get(RESUMPTION_TOKEN)
    if value is None:
        return None
    try:
        return tokens.load(value, verb=request.arguments["verb"])
    except tokens.BadToken as failure:
        raise ProtocolError(("badResumptionToken", str(failure))) from None


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise ProtocolError(("cannotDisseminateFormat", f"Records are available as {', '.join(METADATA_FORMATS)} only."))


def _find(request: _Request, identifier: str, *, description_chars: int) -> Entry:
    pk = request.repository.report_pk(identifier)
    entry = records.find(pk, description_chars=description_chars) if pk else None
    if entry is None:
        raise ProtocolError(("idDoesNotExist", f"The archive has no record “{identifier}”."))
    return entry


def _header(parent: etree._Element, entry: Entry, repository: Repository) -> None:
    xml.header(
        parent, identifier=repository.oai_identifier(entry.pk), datestamp=entry.datestamp,
        set_specs=entry.set_specs, deleted=entry.deleted,
    )


def _record(parent: etree._Element, entry: Entry, repository: Repository) -> None:
    record = xml.sub(parent, "record")
    _header(record, entry, repository)
    if entry.deleted:
        return  # a deleted record is its header alone
    report = entry.report
    description = dublin_core.describe(getattr(report, "opening", ""), limit=repository.description_chars)
    url = repository.site_url + report.get_absolute_url()
    xml.dublin_core(record, dublin_core.elements(report, url=url, description=description))


_HANDLERS: dict[str, Callable[[_Request], Fill]] = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda request: _list(request, with_records=False),
    "ListRecords": lambda request: _list(request, with_records=True),
}
