"""What the search index holds: one document per section, with its report's metadata.

Indexing sections (not whole reports) lets a hit land on the section that matched.
The report's title rides along in its own field so a title match counts without
making every section's text match.
"""

import hashlib

from haystack import indexes

from reports.models import Section
from reports.search.backend import KeywordField


class SectionIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    title = indexes.CharField(boost=2.0)
    report_id = KeywordField()
    association = KeywordField()          # the association's slug
    year = KeywordField()                 # "" when unknown
    published = KeywordField()            # ISO date, "" when unknown
    language = KeywordField()
    order = KeywordField()
    # The text itself is not stored in the index (it is a third of the index's size
    # and the database has it); its digest lets the consistency check still see a
    # section whose text changed behind the index's back.
    text_digest = KeywordField()

    def get_model(self):
        return Section

    def index_queryset(self, using=None):
        # The report rides along for its title and metadata, never its whole text:
        # select_related would otherwise load the report's body once per section.
        return (
            Section.objects.select_related("report__association")
            .defer("report__body", "report__warnings")
            .order_by("report_id", "order")
        )

    def prepare_text(self, section: Section) -> str:
        return section.indexed_text

    def prepare_title(self, section: Section) -> str:
        # The document number (文号) is searched with the title: a report is found by
        # its number as by its name, and a number matching is a match on the report.
        report = section.report
        return f"{report.title}\n{report.document_number}" if report.document_number else report.title

    def prepare_report_id(self, section: Section) -> str:
        return str(section.report_id)

    def prepare_association(self, section: Section) -> str:
        return section.report.association.slug

    def prepare_year(self, section: Section) -> str:
        return str(section.report.year) if section.report.year else ""

    def prepare_published(self, section: Section) -> str:
        published = section.report.published
        return published.isoformat() if published else ""

    def prepare_language(self, section: Section) -> str:
        return section.report.language

    def prepare_order(self, section: Section) -> str:
        return str(section.order)

    def prepare_text_digest(self, section: Section) -> str:
        return hashlib.sha256(self.prepare_text(section).encode()).hexdigest()[:32]
