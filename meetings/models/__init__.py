"""Meetings models, split by subject. Import from `meetings.models`, never from the submodules."""

from .committees import AGENDA_KIND_RANK, AgendaItemKind, AgendaTemplateItem, Committee, Membership, MembershipQuerySet
from .common import (
    CONFIDENTIAL_PUBLIC_TEXT,
    LEGAL_BASIS_HELP,
    MINUTES_LOCKED_MESSAGE,
    PARAGRAPH_LOCKED_MESSAGE,
    Confidential,
    confidential_constraint,
)

__all__ = [
    "AGENDA_KIND_RANK",
    "CONFIDENTIAL_PUBLIC_TEXT",
    "LEGAL_BASIS_HELP",
    "MINUTES_LOCKED_MESSAGE",
    "PARAGRAPH_LOCKED_MESSAGE",
    "AgendaItemKind",
    "AgendaTemplateItem",
    "Committee",
    "Confidential",
    "Membership",
    "MembershipQuerySet",
    "confidential_constraint",
]
