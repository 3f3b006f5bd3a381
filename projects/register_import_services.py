"""Importing participant register rows from Excel into the utförare's register of one insats (ADR 0020).

`register_import_upload` records a RegisterImport and runs it at once (up to REGISTER_IMPORT_INLINE_ROWS rows) or
saves the file and queues `register_import_tasks.register_import_task` after the commit; the import page polls its
progress. `register_import_run` parses the file (projects.register_import, every problem with row and column),
checks it against the register (a code of another insats of the organisation) and writes every row in one
transaction, or nothing. A participant code already in the insats's register updates that participant; a new one
creates a participant. Only the utförare's own register staff reach any of this (projects.register_access).
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.import_jobs import MESSAGE_INTERNAL, MESSAGE_NOT_SENT, job_enqueue, job_fail, job_progress
from core.models import Organisation, User
from core.xlsx import ImportRefused, data_row_count

from . import register_import, register_services
from .category_services import category_lists_ensure
from .models import Category, Project, RegisterImport, RegisterParticipant

logger = logging.getLogger(__name__)

Status = RegisterImport.Status
INLINE_ROWS = 300
BATCH = 1000
FIELDS = [c.key for c in register_import.COLUMNS if c.key not in ("code", "activities")]
CATEGORY_FIELDS = [c.key for c in register_import.COLUMNS if c.kind == "category"]


def inline_rows() -> int:
    return getattr(settings, "REGISTER_IMPORT_INLINE_ROWS", INLINE_ROWS)


def register_choices(*, project: Project) -> register_import.Choices:
    """The labels a register row may use: the active categories of the förbund's lists (the insats's owner), so
    the register's counts land in the report's rows."""
    keys = {c.list_key for c in register_import.COLUMNS if c.list_key}
    lists: dict[str, list[tuple[str, int]]] = {key: [] for key in keys}
    categories = Category.objects.filter(
        category_list__organisation_id=project.organisation_id, category_list__key__in=keys, active=True
    ).order_by("category_list__key", "position", "pk")
    for key, label, pk in categories.values_list("category_list__key", "label", "pk"):
        lists[key].append((label, pk))
    return register_import.Choices(lists)


def _ensure_executor(*, organisation: Organisation, project: Project) -> None:
    # The register lives only at the utförare (register_services' rule): a förbund never reaches it.
    register_services._check_project(organisation, project)


@transaction.atomic
def register_import_upload(
    *, organisation: Organisation, project: Project, actor: User, data: bytes, filename: str
) -> RegisterImport:
    """Record the file and import it now, or in the background when it has more than REGISTER_IMPORT_INLINE_ROWS
    rows. A file that is not .xlsx or empty is refused at once (ImportRefused); nothing is saved then."""
    register_services.check_keeper(organisation=organisation, project=project, actor=actor)
    if not data.strip():
        raise ValidationError({"file": "Filen är tom."})
    rows = data_row_count(data)  # raises ImportRefused for a file that is not .xlsx
    category_lists_ensure(organisation=project.organisation, actor=actor)
    job = RegisterImport(
        organisation=organisation,
        project=project,
        filename=(filename or "register.xlsx")[:255],
        size=len(data),
        row_count=rows,
        imported_by=actor,
        status=Status.QUEUED if rows > inline_rows() else Status.RUNNING,
    )
    job._history_user = actor
    if job.status == Status.QUEUED:
        job.file.save("import.xlsx", ContentFile(data), save=False)
        job.save()
        transaction.on_commit(partial(_enqueue, import_id=job.pk))
        return job
    job.save()
    _run(job.pk, data)
    job.refresh_from_db()
    return job


def _enqueue(*, import_id: int) -> None:
    from .register_import_tasks import register_import_task

    job_enqueue(
        lambda: register_import_task.apply_async(kwargs={"import_id": import_id}),
        lambda: register_import_run(import_id=import_id),
        on_error=partial(register_import_fail, import_id=import_id, message=MESSAGE_NOT_SENT),
    )


def register_import_run(*, import_id: int) -> None:
    """Run a queued import (the background task calls this). A finished import is left as it is."""
    job = RegisterImport.objects.get(pk=import_id)
    if not job.is_active:
        return
    if not job.file:
        register_import_fail(import_id=import_id, message="Filen till importen finns inte längre. Ladda upp den igen.")
        return
    RegisterImport.objects.filter(pk=import_id, status__in=RegisterImport.ACTIVE_STATUSES).update(
        status=Status.RUNNING, progress=2
    )
    with job.file.open("rb") as handle:
        data = handle.read()
    _run(import_id, data)


def register_import_fail(*, import_id: int, message: str = MESSAGE_INTERNAL) -> None:
    job_fail(RegisterImport, import_id, [{"row": 0, "column": "", "message": message}])


def _problems(items) -> list[dict]:
    return [problem.as_dict() for problem in sorted(items, key=lambda p: (p.row, p.column))]


def _run(import_id: int, data: bytes) -> None:
    job = RegisterImport.objects.select_related("project", "imported_by").get(pk=import_id)
    total = max(job.row_count, 1)
    try:
        rows, problems = register_import.parse(
            data,
            choices=register_choices(project=job.project),
            today=timezone.localdate(),
            # Reading is most of the work: 0–70 %.
            on_progress=lambda done: job_progress(RegisterImport, import_id, 2 + int(68 * done / total)),
        )
    except ImportRefused as exc:
        job_fail(RegisterImport, import_id, _problems(exc.problems))
        return
    if not problems:
        problems = _check_codes(job, rows)
    if problems:
        job_fail(RegisterImport, import_id, problems if isinstance(problems[0], dict) else _problems(problems))
        return
    job_progress(RegisterImport, import_id, 75)
    try:
        with transaction.atomic():
            locked = RegisterImport.objects.select_for_update().get(pk=import_id)
            if not locked.is_active:
                return  # a second delivery of the same task
            created, updated = _write(job, rows)
            locked.status, locked.progress, locked.errors = Status.DONE, 100, []
            locked.created_count, locked.updated_count = created, updated
            locked.finished_at = timezone.now()
            locked._history_user = job.imported_by
            locked.save()
    except IntegrityError:
        logger.warning("Registerimport %s krockade med en samtidig ändring", import_id)
        register_import_fail(
            import_id=import_id,
            message="Registret ändrades samtidigt (samma deltagarkod sparades av någon annan). Ingenting "
            "importerades; ladda upp filen igen.",
        )
        return
    if job.file:
        job.file.storage.delete(job.file.name)
        RegisterImport.objects.filter(pk=import_id).update(file="")


def _check_codes(job: RegisterImport, rows: list[register_import.RegisterRow]) -> list[dict]:
    """A code is unique in the whole organisation's register: one held by another insats is refused."""
    by_code = {row.code: row for row in rows}
    problems = []
    codes = list(by_code)
    for start in range(0, len(codes), BATCH):
        taken = (
            RegisterParticipant.objects.filter(organisation=job.organisation, code__in=codes[start : start + BATCH])
            .exclude(project=job.project)
            .values_list("code", "project__name")
        )
        for code, project_name in taken:
            problems.append(
                {
                    "row": by_code[code].row,
                    "column": "Deltagarkod",
                    "message": f"deltagarkoden {code} används redan i insatsen {project_name}. Välj en annan kod.",
                }
            )
    return sorted(problems, key=lambda p: p["row"])


def _write(job: RegisterImport, rows: list[register_import.RegisterRow]) -> tuple[int, int]:
    existing: dict[str, RegisterParticipant] = {}
    codes = [row.code for row in rows]
    for start in range(0, len(codes), BATCH):
        for participant in RegisterParticipant.objects.filter(
            organisation=job.organisation, project=job.project, code__in=codes[start : start + BATCH]
        ):
            existing[participant.code] = participant
    columns = [f"{n}_id" if n in CATEGORY_FIELDS else n for n in FIELDS]
    through = RegisterParticipant.activities.through
    held: dict[int, set[int]] = {}
    ids = [p.pk for p in existing.values()]
    for start in range(0, len(ids), BATCH):
        for participant_id, category_id in through.objects.filter(
            registerparticipant_id__in=ids[start : start + BATCH]
        ).values_list("registerparticipant_id", "category_id"):
            held.setdefault(participant_id, set()).add(category_id)
    creates, updates = [], []
    for row in rows:
        participant = existing.get(row.code)
        if participant is None:
            participant = RegisterParticipant(organisation=job.organisation, project=job.project, code=row.code)
        before = [getattr(participant, column) for column in columns]
        for name, column in zip(FIELDS, columns, strict=True):
            setattr(participant, column, getattr(row, name))
        if participant.pk is None:
            creates.append(participant)
        elif before != [getattr(participant, c) for c in columns] or held.get(participant.pk, set()) != set(
            row.activities
        ):
            updates.append(participant)  # an unchanged participant gets no UPDATE and no history row
    actor = job.imported_by
    now = timezone.now()
    if creates:
        for participant in creates:
            participant.created_at = participant.updated_at = now
        creates = bulk_create_with_history(creates, RegisterParticipant, batch_size=BATCH, default_user=actor)
    for participant in updates:
        # One UPDATE per changed row: bulk_update's CASE per field measured slower and larger (10 000 rows on
        # PostgreSQL: 127 s and 344 MB peak RSS against 49 s). History rows are written in bulk below.
        participant.updated_at = now
        RegisterParticipant.objects.filter(pk=participant.pk).update(
            **{column: getattr(participant, column) for column in columns}, updated_at=now
        )
    if updates:
        RegisterParticipant.history.bulk_history_create(updates, update=True, default_user=actor)
    if updates:
        ids = [p.pk for p in updates]
        for start in range(0, len(ids), BATCH):
            through.objects.filter(registerparticipant_id__in=ids[start : start + BATCH]).delete()
    pk_of = {p.code: p.pk for p in [*updates, *creates]}
    written = set(pk_of)
    if any(p is None for p in pk_of.values()):  # a backend that returns no ids from bulk inserts
        pk_of = dict(RegisterParticipant.objects.filter(project=job.project, code__in=codes).values_list("code", "pk"))
    links = [
        through(registerparticipant_id=pk_of[row.code], category_id=activity)
        for row in rows
        if row.code in written
        for activity in row.activities
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return len(creates), len(updates)  # unchanged rows count as neither


# Export ------------------------------------------------------------------------------------------------------


def register_rows(*, organisation: Organisation, project: Project) -> list[dict]:
    """The insats's register as export rows (categories by label). Two queries, whatever the register's size."""
    _ensure_executor(organisation=organisation, project=project)
    labels = dict(
        Category.objects.filter(category_list__organisation_id=project.organisation_id).values_list("pk", "label")
    )
    participants = RegisterParticipant.objects.filter(organisation=organisation, project=project).order_by("code")
    through = RegisterParticipant.activities.through
    activities: dict[int, list[str]] = {}
    for participant_id, category_id in (
        through.objects.filter(registerparticipant__in=participants)
        .order_by("category__position", "category_id")
        .values_list("registerparticipant_id", "category_id")
    ):
        activities.setdefault(participant_id, []).append(labels.get(category_id, ""))
    rows = []
    for participant in participants.values():
        row = {name: participant.get(name) for name in FIELDS if name not in CATEGORY_FIELDS}
        row["code"] = participant["code"]
        for name in CATEGORY_FIELDS:
            row[name] = labels.get(participant[f"{name}_id"])
        row["activities"] = activities.get(participant["id"], [])
        rows.append(row)
    return rows


def register_xlsx(*, organisation: Organisation, project: Project, blank: bool) -> tuple[bytes, str]:
    from django.utils.text import slugify

    choices = register_choices(project=project)
    rows = [] if blank else register_rows(organisation=organisation, project=project)
    kind = "mall" if blank else f"export {dt.date.today().isoformat()}"
    title = f"Deltagarregister {project.name} ({organisation.name})"
    data = register_import.build_workbook(choices=choices, title=title, rows=rows)
    return data, f"{slugify(f'deltagarregister {project.short_name or project.name} {kind}')}.xlsx"
