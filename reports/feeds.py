"""Atom feed of reports newly added to the archive.

Every text of a report goes through ``shown``: in the reader's script, and with
what XML cannot carry marked as damage (Django's feed writer refuses it, and one
such title would fail the whole feed).
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from reports import selectors
from reports.models import Report
from reports.text import convert_script, xml_safe

SUMMARY_CHARACTERS = 200


class LatestReportsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Society work report archive: new reports")
    subtitle = _("Work reports of Chinese medical societies, newest additions first.")
    link = reverse_lazy("reports:home")
    # Feed readers keep no cookie: the script is the subscribed address's, never stored in a session.
    remembers_script = False

    def get_object(self, request, *args, **kwargs):
        # The reader's script (?script=hant in the subscribed address, or the visit's choice).
        return getattr(request, "script", None)

    def items(self, script):
        reports = list(selectors.recently_added())
        for report in reports:
            # Item methods see only the item: it carries the script (the feed object is shared).
            report.feed_script = script
        return reports

    @staticmethod
    def shown(text: str, item: Report) -> str:
        return xml_safe(convert_script(text, item.feed_script))

    def item_title(self, item: Report) -> str:
        return self.shown(item.title, item)

    def item_description(self, item: Report) -> str:
        # Atom's <summary type="html"> is HTML once a reader unescapes the XML:
        # the report's text is escaped here so it stays text there.
        summary = Truncator(" ".join(item.opening.split())).chars(SUMMARY_CHARACTERS)
        return escape(self.shown(summary, item))

    def item_author_name(self, item: Report) -> str:
        return self.shown(item.authors or item.association.name, item)

    def item_pubdate(self, item: Report):
        return item.created

    def item_updateddate(self, item: Report):
        return item.updated

    def item_categories(self, item: Report):
        return [self.shown(item.association.name, item)]
