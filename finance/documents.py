"""PDF documents of finance; reporting imports this module, which imports one module per area."""

from . import followup_documents  # noqa: F401  registers the månadsuppföljning
