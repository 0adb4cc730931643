from rest_framework.negotiation import BaseContentNegotiation


class FormatNamesAFile(BaseContentNegotiation):
    """``?format=`` names a citation or export format on these endpoints, not one of
    DRF's renderers (which would answer 404 for ``bibtex``). Whatever a view answers
    through DRF (its JSON, errors included) is JSON; files are plain responses."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
