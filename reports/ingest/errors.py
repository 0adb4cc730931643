class IngestError(ValueError):
    """A file that cannot become a report; the message is shown to the person who gave it."""
