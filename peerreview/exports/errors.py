class ExportError(Exception):
    """A builder could not produce a complete document. Nothing was written."""
