"""`manage.py check --deploy`: say so when a production site serves no OAI-PMH."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def oai_switched_on(app_configs, **kwargs):
    if settings.ARCHIVE_OAI_ADMIN_EMAILS:
        return []
    return [checks.Warning(
        "ARCHIVE_OAI_ADMIN_EMAIL is not set, so /oai/ answers 503 and no library can harvest the archive.",
        hint="Set it to the address harvesters should write to; set ARCHIVE_OAI_REPOSITORY_IDENTIFIER "
             "to the site's domain name at the same time, once and for good.",
        id="archive.W001",
    )]
