"""The admin as staff see it: the archive's name, not "Django administration".

Installed as Django's default admin site (``reports.apps.ArchiveAdminConfig``),
so every ``@admin.register`` and ``admin.site`` keeps working unchanged.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ArchiveAdminSite(admin.AdminSite):
    site_header = _("Society work report archive: staff")
    site_title = _("Archive staff")
    index_title = _("What staff look after")
