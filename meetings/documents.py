"""PDF documents of the meeting cycle; reporting imports this module, which imports one module per area."""

from . import minutes_documents, notice_documents, noticeboard_documents  # noqa: F401  each registers its documents
