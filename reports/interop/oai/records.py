"""Which records, sets and pages: the repository read from the database.

Every list walks one order, (datestamp, report id), across the reports and the
deleted reports together, from a cursor: a page is the next ``size`` entries after
the last one a harvester was given. An upload between two pages is dated later
than the list's upper bound (fixed by its first request), so it is neither lost
(the next incremental harvest starts before it) nor given twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.validators import slug_unicode_re
from django.db.models import Min, Q, QuerySet
from django.db.models.functions import Substr

from reports.interop.oai.dublin_core import opening_length
from reports.models import Association, DeletedReport, Report, covered_year

ASSOCIATION, YEAR = "association", "year"
PARENT_SETS = {ASSOCIATION: "Reports by association", YEAR: "Reports by the year they cover"}

# setSpecType of OAI-PMH.xsd. Slugs keep Chinese names, which a setSpec cannot carry:
# those are written as IDNA writes host names, "xn--" and their Punycode.
_SPEC_PART = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
SET_SPEC = re.compile(rf"{_SPEC_PART.pattern}(:{_SPEC_PART.pattern})*")
_ENCODED = "xn--"
_YEAR = re.compile(r"[1-9][0-9]{0,3}")

# What a record shows (dublin_core.elements); the text itself only through its opening.
_RECORD_FIELDS = (
    "title", "authors", "published", "year", "document_number", "source", "language", "source_name", "metadata_changed",
    "association__name", "association__slug",
)
_HEADER_FIELDS = ("published", "year", "metadata_changed", "association__slug")


# Sets -------------------------------------------------------------------------------


def _spec_part(slug: str) -> str:
    if _SPEC_PART.fullmatch(slug) and not slug.startswith(_ENCODED):
        return slug
    return _ENCODED + slug.encode("punycode").decode("ascii")


def _slug_of(part: str) -> str | None:
    if not part.startswith(_ENCODED):
        return part
    try:
        slug = part[len(_ENCODED):].encode("ascii").decode("punycode")
    except UnicodeError:
        return None
    # Punycode decodes to any code point, lone surrogates too, which no database stores:
    # only what a slug can be (letters, digits, - and _) is looked for.
    if not slug_unicode_re.fullmatch(slug):
        return None
    return slug if _spec_part(slug) == part else None


def association_set(slug: str) -> str:
    return f"{ASSOCIATION}:{_spec_part(slug)}"


def year_set(year: int) -> str:
    return f"{YEAR}:{year}"


def set_specs(*, association_slug: str, year: int | None) -> list[str]:
    return [association_set(association_slug)] + ([year_set(year)] if year else [])


@dataclass(frozen=True)
class SetFilter:
    """The records of one set (and of the sets below it), as filters on both tables."""

    reports: Q
    deleted: Q


def set_filter(spec: str) -> SetFilter | None:
    """The filter for a well-formed setSpec; None when the archive has no such set."""
    kind, _, rest = spec.partition(":")
    if kind == ASSOCIATION:
        if not rest:
            return SetFilter(Q(), Q())
        slug = _slug_of(rest)
        return SetFilter(Q(association__slug=slug), Q(association_slug=slug)) if slug else None
    if kind == YEAR:
        if not rest:
            return SetFilter(Q(year__isnull=False) | Q(published__isnull=False), Q(year__isnull=False))
        if not _YEAR.fullmatch(rest):
            return None
        year = int(rest)
        # The year a report covers, or failing that the year it was published, as the year pages do.
        return SetFilter(Q(year=year) | Q(year__isnull=True, published__year=year), Q(year=year))
    return None


def _years() -> list[int]:
    live = (
        Report.objects.with_covered_year()
        .filter(covered_year__isnull=False).values_list("covered_year", flat=True).distinct()
    )
    gone = DeletedReport.objects.filter(year__isnull=False).values_list("year", flat=True).distinct()
    return sorted(set(live) | set(gone))


def set_count() -> int:
    return len(PARENT_SETS) + len(_years()) + Association.objects.count()


def sets_page(*, after_slug: str | None, size: int) -> tuple[list[tuple[str, str]], str | None]:
    """(setSpec, setName) pairs, and the last association's slug when more follow.

    The first page carries the two parent sets and every year (a few dozen at most),
    then associations in slug order; later pages go on after the slug they were given.
    """
    sets: list[tuple[str, str]] = []
    if after_slug is None:
        sets += list(PARENT_SETS.items())
        sets += [(year_set(year), f"Reports covering {year}") for year in _years()]
    associations = Association.objects.order_by("slug").only("slug", "name")
    if after_slug is not None:
        associations = associations.filter(slug__gt=after_slug)
    chunk = list(associations[: size + 1])
    more = len(chunk) > size
    chunk = chunk[:size]
    sets += [(association_set(association.slug), association.name) for association in chunk]
    return sets, (chunk[-1].slug if more else None)


# Records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a list request asks for: datestamps within [lower, upper] in one set (or all)."""

    lower: datetime | None
    upper: datetime
    sets: SetFilter | None = None


@dataclass(frozen=True)
class Entry:
    """One record of a list: a report, or the header that remains of a deleted one."""

    pk: int
    datestamp: datetime
    set_specs: list[str]
    report: Report | None = None  # None: deleted

    @property
    def deleted(self) -> bool:
        return self.report is None

    @property
    def key(self) -> tuple[datetime, int]:
        return self.datestamp, self.pk


def _reports(selection: Selection) -> QuerySet[Report]:
    reports = Report.objects.filter(metadata_changed__lte=selection.upper)
    if selection.lower:
        reports = reports.filter(metadata_changed__gte=selection.lower)
    return reports.filter(selection.sets.reports) if selection.sets else reports


def _deleted(selection: Selection) -> QuerySet[DeletedReport]:
    deleted = DeletedReport.objects.filter(deleted__lte=selection.upper)
    if selection.lower:
        deleted = deleted.filter(deleted__gte=selection.lower)
    return deleted.filter(selection.sets.deleted) if selection.sets else deleted


def count(selection: Selection) -> int:
    return _reports(selection).count() + _deleted(selection).count()


def page(
    selection: Selection, *, after: tuple[datetime, int] | None, size: int, description_chars: int | None = None
) -> tuple[list[Entry], bool]:
    """The next ``size`` entries after the cursor ``after``, and whether more follow.

    With ``description_chars`` (ListRecords) each report is loaded with what its record
    shows and the opening of its text as ``opening``; without (ListIdentifiers), only
    what its header needs. Neither reads a whole text.
    """
    reports = _reports(selection).select_related("association")
    deleted = _deleted(selection)
    if after is not None:
        datestamp, pk = after
        # The redundant ">=" gives the planner a range on the (datestamp, id) index to walk in
        # order and stop after the page; with the OR alone SQLite reads and sorts all the rest.
        reports = reports.filter(metadata_changed__gte=datestamp).filter(
            Q(metadata_changed__gt=datestamp) | Q(metadata_changed=datestamp, pk__gt=pk)
        )
        deleted = deleted.filter(deleted__gte=datestamp).filter(
            Q(deleted__gt=datestamp) | Q(deleted=datestamp, report_id__gt=pk)
        )
    if description_chars is None:
        reports = reports.only(*_HEADER_FIELDS)
    else:
        reports = reports.only(*_RECORD_FIELDS)
        if description_chars:
            reports = reports.annotate(opening=Substr("body", 1, opening_length(description_chars)))
    # Each table's next size + 1 entries, merged: enough for the page and to know if more follow.
    entries = [_live(report) for report in reports.order_by("metadata_changed", "pk")[: size + 1]]
    entries += [_gone(row) for row in deleted.order_by("deleted", "report_id")[: size + 1]]
    entries.sort(key=lambda entry: entry.key)
    return entries[:size], len(entries) > size


def find(pk: int, *, description_chars: int) -> Entry | None:
    """A report's record (loaded as ``page`` loads it), or its deleted record; None when no report had this number."""
    reports = Report.objects.select_related("association").only(*_RECORD_FIELDS).filter(pk=pk)
    if description_chars:
        reports = reports.annotate(opening=Substr("body", 1, opening_length(description_chars)))
    found = reports.first()
    if found is not None:
        return _live(found)
    gone = DeletedReport.objects.filter(pk=pk).first()
    return _gone(gone) if gone else None


def earliest_datestamp() -> datetime | None:
    dates = [
        Report.objects.aggregate(first=Min("metadata_changed"))["first"],
        DeletedReport.objects.aggregate(first=Min("deleted"))["first"],
    ]
    return min((date for date in dates if date), default=None)


def _live(report: Report) -> Entry:
    specs = set_specs(association_slug=report.association.slug, year=covered_year(report))
    return Entry(report.pk, report.metadata_changed, specs, report)


def _gone(row: DeletedReport) -> Entry:
    return Entry(row.pk, row.deleted, set_specs(association_slug=row.association_slug, year=row.year))
