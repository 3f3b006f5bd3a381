"""Versions of what the meeting and protokoll pages show, for their fragment cache (core fragment_cache tag).

A version is the latest history row (simple-history writes one in the same transaction as every save and delete
of an audited model) of each table the page reads, restricted to the rows of that meeting or protokoll, in one
query (compiled once, core.compiled_query) of indexed MAX() lookups whatever the size of the data. Rows written
without history (a queryset update, as the archive job link is) are read directly from the page's own row.
A new table shown inside a cached block belongs here too; so does a new flag of the viewer in the block's key.
"""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery

from core import compiled_query
from core.models import Person

from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    Ballot,
    Case,
    Committee,
    Correction,
    Dissent,
    Meeting,
    Minutes,
    NoticeIssue,
    NoticeRecipient,
    Paragraph,
    Recusal,
    Signatory,
    Vote,
)


def _latest(model, **filters) -> Subquery:
    """MAX(history_id) of the model's history rows matching filters (no GROUP BY: one row, NULL when none)."""
    rows = model.history.model.objects.filter(**filters).order_by().values(v=Func(F("history_id"), function="MAX"))
    return Subquery(rows, output_field=IntegerField())


def _minutes_query(pk: int) -> QuerySet:
    paragraphs = Paragraph.objects.filter(minutes_id=OuterRef(OuterRef("pk"))).values("pk")
    votes = Vote.objects.filter(paragraph__minutes_id=OuterRef(OuterRef("pk"))).values("pk")
    paragraph_cases = Paragraph.objects.filter(minutes_id=OuterRef(OuterRef("pk"))).values("case_id")
    paragraph_items = Paragraph.objects.filter(minutes_id=OuterRef(OuterRef("pk"))).values("agenda_item_id")
    versions = {
        "v_minutes": _latest(Minutes, id=OuterRef("pk")),
        "v_meeting": _latest(Meeting, id=OuterRef("meeting_id")),
        "v_committee": _latest(Committee, id=OuterRef("meeting__committee_id")),
        "v_paragraphs": _latest(Paragraph, minutes_id=OuterRef("pk")),
        "v_attendance": _latest(Attendance, minutes_id=OuterRef("pk")),
        "v_signatories": _latest(Signatory, minutes_id=OuterRef("pk")),
        "v_corrections": _latest(Correction, minutes_id=OuterRef("pk")),
        "v_votes": _latest(Vote, paragraph_id__in=paragraphs),
        "v_ballots": _latest(Ballot, vote_id__in=votes),
        "v_dissents": _latest(Dissent, paragraph_id__in=paragraphs),
        "v_recusals": _latest(Recusal, paragraph_id__in=paragraphs),
        "v_cases": _latest(Case, id__in=paragraph_cases),
        "v_items": _latest(AgendaItem, id__in=paragraph_items),
        "v_people": _latest(Person, organisation_id=OuterRef("meeting__committee__organisation_id")),
        "v_job": F("archived_job_id"),
        "v_job_status": F("archived_job__status"),
    }
    # One column per part, in this order; .values() names them from the same dict so the two cannot drift.
    return Minutes.objects.filter(pk=pk).annotate(**versions).values(*versions)


def _meeting_query(pk: int) -> QuerySet:
    items = AgendaItem.objects.filter(meeting_id=OuterRef(OuterRef("pk"))).values("pk")
    item_cases = AgendaItem.objects.filter(meeting_id=OuterRef(OuterRef("pk"))).values("case_id")
    notices = NoticeIssue.objects.filter(meeting_id=OuterRef(OuterRef("pk"))).values("pk")
    versions = {
        "v_meeting": _latest(Meeting, id=OuterRef("pk")),
        "v_committee": _latest(Committee, id=OuterRef("committee_id")),
        "v_items": _latest(AgendaItem, meeting_id=OuterRef("pk")),
        "v_attachments": _latest(Attachment, agenda_item_id__in=items),
        "v_cases": _latest(Case, id__in=item_cases),
        "v_notices": _latest(NoticeIssue, meeting_id=OuterRef("pk")),
        "v_recipients": _latest(NoticeRecipient, notice_id__in=notices),
    }
    return Meeting.objects.filter(pk=pk).annotate(**versions).values(*versions)


def _version(builder, pk: int) -> str:
    found = compiled_query.rows(builder, pk=pk)
    return "-".join(str(value) for value in found[0]) if found else ""


def minutes_version(*, minutes_id: int) -> str:
    """Changes with anything the protokoll page shows: the protokoll, its §§ and everything on them."""
    return _version(_minutes_query, minutes_id)


def meeting_version(*, meeting_id: int) -> str:
    """Changes with anything the meeting page's agenda shows: the meeting, its items, ärenden, bilagor, kallelser."""
    return _version(_meeting_query, meeting_id)
