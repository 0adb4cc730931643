"""The research tools' fixtures: the search's own (an index per test, reports made
directly or the seed corpus ingested once per module), and a small archive made
once per module, committed so that the signals index it as a real save does."""

from contextlib import contextmanager

import pytest

from tests.search.conftest import indexed, make_report, search_index, seed_corpus  # noqa: F401
from tests.search_index import index_at


@contextmanager
def committed_archive(django_db_blocker, index_dir, specs):
    """Reports made from ``(title, sections, options)`` specs, committed and indexed;
    removed afterwards. Options: association, language, year, published, region."""
    from reports.models import Association, DeletedReport, Report, Section

    with django_db_blocker.unblock(), index_at(index_dir):
        made = []
        try:
            for number, (title, sections, options) in enumerate(specs, start=1):
                options = dict(options)
                name = options.pop("association", "测试医学会")
                region = options.pop("region", "")
                association = Association.objects.matching_name(name).first() or Association.objects.create(
                    name=name, slug=f"research-{number}", region=region)
                report = Report.objects.create(
                    association=association, title=title, source_name=f"research-{number}.txt",
                    content_hash=f"r{number:063d}", body="\n".join(text for _, text in sections),
                    language=options.pop("language", "zh-Hans"), **options)
                Section.objects.bulk_create(
                    Section(report=report, order=order, level=1 if heading else 0, heading=heading, text=text,
                            anchor=f"s{order}")
                    for order, (heading, text) in enumerate(sections))
                report.save()   # indexed after the commit, with its sections
                made.append(report)
            yield made
        finally:
            Report.objects.all().delete()
            # The deletions' records for harvesters too: nothing committed is left behind.
            DeletedReport.objects.all().delete()
            Association.objects.all().delete()
