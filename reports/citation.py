"""A citation line for a report, in the shape of GB/T 7714 for online documents."""

from reports.models import Report
from reports.text import convert_script


def citation_for(report: Report, *, url: str, script: str | None = None) -> str:
    """``Author. Title[EB/OL]. Source, date. URL`` with the parts the report lacks left out.

    The association stands in for a missing author, as it published the report.
    """
    author = report.authors or report.association.name
    when = report.published.isoformat() if report.published else (str(report.year) if report.year else "")
    where = ", ".join(part for part in (report.source, when) if part)
    parts = [f"{author}.", f"{report.title}[EB/OL]."]
    if where:
        parts.append(f"{where}.")
    parts.append(url)
    return convert_script(" ".join(parts), script)
