"""Meetings models, split by subject. Import from `meetings.models`, never from the submodules."""

from .agenda import AgendaItem, Attachment, Meeting, NoticeIssue, NoticeRecipient
from .cases import Case, CaseNumberCounter, CaseNumberSeries, OfficerReport, validate_case_pattern
from .committees import AGENDA_KIND_RANK, AgendaItemKind, AgendaTemplateItem, Committee, Membership, MembershipQuerySet
from .common import (
    CONFIDENTIAL_PUBLIC_TEXT,
    LEGAL_BASIS_HELP,
    MINUTES_LOCKED_MESSAGE,
    PARAGRAPH_LOCKED_MESSAGE,
    Confidential,
    confidential_constraint,
)
from .minutes import (
    PUBLIC_PARAGRAPH,
    Appeal,
    Attendance,
    Ballot,
    Correction,
    Dissent,
    Minutes,
    Paragraph,
    ParagraphCounter,
    Posting,
    Recusal,
    Signatory,
    Vote,
)
from .registers import Communication, DelegatedDecision

__all__ = [
    "AGENDA_KIND_RANK",
    "CONFIDENTIAL_PUBLIC_TEXT",
    "LEGAL_BASIS_HELP",
    "MINUTES_LOCKED_MESSAGE",
    "PARAGRAPH_LOCKED_MESSAGE",
    "PUBLIC_PARAGRAPH",
    "AgendaItem",
    "AgendaItemKind",
    "AgendaTemplateItem",
    "Appeal",
    "Attachment",
    "Attendance",
    "Ballot",
    "Case",
    "CaseNumberCounter",
    "CaseNumberSeries",
    "Committee",
    "Communication",
    "Confidential",
    "Correction",
    "DelegatedDecision",
    "Dissent",
    "Meeting",
    "Membership",
    "MembershipQuerySet",
    "Minutes",
    "NoticeIssue",
    "NoticeRecipient",
    "OfficerReport",
    "Paragraph",
    "ParagraphCounter",
    "Posting",
    "Recusal",
    "Signatory",
    "Vote",
    "confidential_constraint",
    "validate_case_pattern",
]
