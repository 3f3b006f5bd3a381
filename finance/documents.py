"""PDF documents of finance; reporting imports this module, which imports one module per document type."""

from . import (
    annual_report_documents,  # noqa: F401  registers the årsredovisning
    followup_documents,  # noqa: F401  registers the månadsuppföljning
)
