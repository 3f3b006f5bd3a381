"""Importing the ledger (utfall) from SIE files: all or nothing, every error listed, no file twice.

`ledger_import_upload` takes the uploaded file. It refuses a file whose SHA-256 an earlier import of the
organisation already has (unless that import was refused), records a LedgerImport and either runs it at once
(small files) or saves the file and queues `finance.tasks.ledger_import_task` after the commit (large files); the
import page polls its progress.

`ledger_import_run` parses the file (finance.sie), checks it against the organisation (organisationsnummer,
fiscal year, the previous year's utgående balans, the kontoplan, verifikationer already imported) and writes
everything in one transaction, or nothing: on any error the import is marked refused with every error (line, field,
what is wrong) and no account, verifikation or saldo of it is kept. Docs: docs/decisions/0015-sie-import.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.formatting import format_date, format_kr
from core.models import Organisation, User

from . import sie, tabular
from .locks import lock_reason, refuse_if_year_locked
from .models import (
    Account,
    AccountBalance,
    ColumnMapping,
    Dimension,
    DimensionObject,
    FiscalYear,
    LedgerEntry,
    LedgerImport,
    PeriodBalance,
    Voucher,
)

logger = logging.getLogger(__name__)

# Above this size the import runs as a background job with a progress bar (setting FINANCE_IMPORT_INLINE_BYTES).
INLINE_MAX_BYTES = 256 * 1024
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_STORED_ERRORS = 1000
BATCH = 2000
MESSAGE_INTERNAL = "Importen avbröts av ett oväntat fel. Ingenting importerades. Kontakta systemförvaltningen."

Status = LedgerImport.Status


def _inline_max() -> int:
    return getattr(settings, "FINANCE_IMPORT_INLINE_BYTES", INLINE_MAX_BYTES)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def duplicate_of(*, organisation: Organisation, sha256: str) -> LedgerImport | None:
    return (
        LedgerImport.objects.for_organisation(organisation)
        .filter(sha256=sha256)
        .exclude(status__in=[Status.FAILED, Status.WITHDRAWN])
        .select_related("imported_by")
        .first()
    )


def _duplicate_message(earlier: LedgerImport) -> str:
    who = earlier.imported_by.get_full_name() if earlier.imported_by else "okänd användare"
    return (
        f"Filen är redan importerad: ”{earlier.filename}” lästes in {format_date(earlier.created_at)} av {who}. "
        "Samma fil importeras inte två gånger."
    )


# Upload -----------------------------------------------------------------------------------------------------


@transaction.atomic
def ledger_import_upload(
    *,
    organisation: Organisation,
    actor: User,
    upload: UploadedFile,
    fiscal_year: FiscalYear | None = None,
    replace_previous: bool = False,
) -> LedgerImport:
    """Record the uploaded SIE file and import it now or in the background. Raises ValidationError (field
    "file") for an empty, too large or already imported file; nothing is saved then.

    With `replace_previous` the fiscal year's earlier imports are replaced in the same transaction (a new export
    of the whole year so far); their rows go only if this file imports."""
    if fiscal_year is not None and fiscal_year.organisation_id != organisation.pk:
        raise ValidationError({"fiscal_year": "Räkenskapsåret hör inte till organisationen."})
    refuse_if_year_locked(fiscal_year=fiscal_year, what="bokföringen", field="fiscal_year")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "Filen är större än 200 MB och kan inte importeras."})
    upload.seek(0)
    data = upload.read()
    if not data.strip():
        raise ValidationError({"file": "Filen är tom."})
    digest = sha256_of(data)
    earlier = duplicate_of(organisation=organisation, sha256=digest)
    if earlier is not None:
        raise ValidationError({"file": _duplicate_message(earlier)}, code="duplicate")
    job = LedgerImport(
        organisation=organisation,
        fiscal_year=fiscal_year,
        source=LedgerImport.Source.SIE,
        filename=(upload.name or "fil.se")[:255],
        sha256=digest,
        size=len(data),
        imported_by=actor,
        replace_previous=replace_previous,
        status=Status.QUEUED if len(data) > _inline_max() else Status.RUNNING,
    )
    job._history_user = actor
    try:
        with transaction.atomic():
            # Kept after the import as the year's underlag (the revisor downloads it; the årsredovisning
            # carries it), so it is saved whether the import runs now or in the background.
            job.file.save("import.se", ContentFile(data), save=False)
            job.save()
    except IntegrityError as exc:  # the same file uploaded twice at the same moment
        if job.file:
            job.file.storage.delete(job.file.name)
        raise ValidationError({"file": "Filen är redan importerad (samtidigt av någon annan)."}) from exc
    if job.status == Status.QUEUED:
        transaction.on_commit(partial(_enqueue, import_id=job.pk))
        return job
    _run(job.pk, data)
    job.refresh_from_db()
    return job


def _enqueue(*, import_id: int) -> None:
    """Hand the committed import to the background (core.import_jobs): the Celery task, or a thread of the web
    process where tasks run in-process (`make run`), so that the page shows its progress bar either way."""
    from core.import_jobs import job_enqueue

    from .tasks import ledger_import_task

    def not_sent() -> None:
        # The broker is away: the row stays queued and says why (the beat sweep fails it later).
        LedgerImport.objects.filter(pk=import_id, status=Status.QUEUED).update(
            warnings=[
                _problem(
                    0,
                    "",
                    "Importen kunde inte lämnas till bakgrundsarbetet. Ta bort importen här och ladda upp filen "
                    "igen senare, eller kontakta systemförvaltningen.",
                )
            ]
        )

    job_enqueue(
        lambda: ledger_import_task.apply_async(kwargs={"import_id": import_id}),
        lambda: ledger_import_task.apply(kwargs={"import_id": import_id}),
        on_error=not_sent,
    )


# Running ----------------------------------------------------------------------------------------------------


def ledger_import_run(*, import_id: int) -> None:
    """Run a queued import (the background task calls this). A finished import is left as it is."""
    job = LedgerImport.objects.get(pk=import_id)
    if job.status not in LedgerImport.ACTIVE_STATUSES:
        return  # finished, refused or taken back meanwhile
    if not job.file:
        _fail(job.pk, [_problem(0, "", "Filen till importen finns inte längre. Ladda upp den igen.")])
        return
    LedgerImport.objects.filter(pk=job.pk, status__in=LedgerImport.ACTIVE_STATUSES).update(
        status=Status.RUNNING, progress=5
    )
    with job.file.open("rb") as handle:
        data = handle.read()
    _run(job.pk, data)


def ledger_import_fail(*, import_id: int, message: str = MESSAGE_INTERNAL) -> None:
    """Mark an import refused after an unexpected crash (nothing of it was written: the transaction rolled back)."""
    _fail(import_id, [_problem(0, "", message)])


def _progress(import_id: int, value: int) -> None:
    # An update outside the import's transaction, so the polling page sees it; no history row for progress.
    LedgerImport.objects.filter(pk=import_id).update(progress=value)


def _problem(line: int, field: str, message: str) -> dict:
    return {"line": line, "field": field, "message": message}


def _problems(items) -> list[dict]:
    return [_problem(p.line, p.field, p.message) for p in items]


def _finish(import_id: int, **fields) -> None:
    job = LedgerImport.objects.get(pk=import_id)
    for name, value in fields.items():
        setattr(job, name, value)
    job.finished_at = timezone.now()
    job._history_user = job.imported_by
    job.save()


def _fail(import_id: int, errors: list[dict], **fields) -> None:
    shown = errors[:MAX_STORED_ERRORS]
    if len(errors) > MAX_STORED_ERRORS:
        shown.append(_problem(0, "", f"… och {len(errors) - MAX_STORED_ERRORS} fel till som inte visas."))
    job = LedgerImport.objects.get(pk=import_id)
    if job.status not in LedgerImport.ACTIVE_STATUSES:
        return  # a second delivery of a finished or taken-back import never changes it
    _finish(import_id, status=Status.FAILED, errors=shown, progress=100, **fields)
    if job.file:
        job.file.storage.delete(job.file.name)
        LedgerImport.objects.filter(pk=import_id).update(file="")


def _run(import_id: int, data: bytes) -> None:
    job = LedgerImport.objects.select_related("organisation", "fiscal_year").get(pk=import_id)
    if job.source != LedgerImport.Source.SIE:
        _run_tabular(job, data)
        return
    parsed = sie.parse(data)
    _progress(import_id, 30)
    plan = _Plan(job=job, parsed=parsed)
    errors = _problems(parsed.errors)
    if not errors:
        errors = plan.check()
    described = {
        "encoding": parsed.encoding,
        "sie_type": parsed.sie_type[:4],
        "program": parsed.program[:200],
        "warnings": _problems(parsed.warnings),
    }
    _progress(import_id, 50)
    if errors:
        _fail(import_id, sorted(errors, key=lambda e: e["line"]), **described)
        return
    try:
        with transaction.atomic():
            # Locked for the write: a second delivery of the same task waits here and then finds it done.
            locked = LedgerImport.objects.select_for_update().get(pk=import_id)
            if locked.status not in LedgerImport.ACTIVE_STATUSES:
                return
            counts = plan.write()
            _finish(
                import_id,
                status=Status.DONE,
                progress=100,
                errors=[],
                fiscal_year=plan.fiscal_year,
                **described,
                **counts,
            )
    except IntegrityError:
        # Another import wrote the same verifikationer or saldon in the meantime; this one keeps nothing.
        logger.warning("Import %s krockade med en samtidig import", import_id)
        _fail(
            import_id,
            [
                _problem(
                    0, "", "En annan import skrev samma verifikationer eller saldon samtidigt. Ingenting importerades."
                )
            ],
            **described,
        )
        return


DIMENSION_KINDS = {1: Dimension.Kind.RESPONSIBILITY, 6: Dimension.Kind.PROJECT}


def dimension_kind(number: int, name: str) -> str:
    lowered = name.lower()
    if "verksamhet" in lowered or lowered.startswith("vht"):
        return Dimension.Kind.ACTIVITY
    if "projekt" in lowered:
        return Dimension.Kind.PROJECT
    if "ansvar" in lowered or "kostnadsställe" in lowered or "resultatenhet" in lowered:
        return Dimension.Kind.RESPONSIBILITY
    return DIMENSION_KINDS.get(number, Dimension.Kind.OTHER)


@dataclass
class _Plan:
    """What an import will write, checked against the database before anything is written."""

    job: LedgerImport
    parsed: sie.SieFile
    fiscal_year: FiscalYear | None = None
    create_fiscal_year: tuple[dt.date, dt.date] | None = None

    @property
    def organisation(self) -> Organisation:
        return self.job.organisation

    def check(self) -> list[dict]:
        errors: list[dict] = []
        parsed, organisation = self.parsed, self.organisation
        # Organisationsnummer.
        if parsed.org_number:
            if _digits(parsed.org_number) != _digits(organisation.org_number):
                errors.append(
                    _problem(
                        0,
                        "#ORGNR",
                        f"filen är för organisationsnummer {parsed.org_number}, men {organisation.name} har "
                        f"{organisation.org_number}",
                    )
                )
        else:
            parsed.warnings.append(sie.SieProblem(0, "#ORGNR", "filen anger inget organisationsnummer"))
        # Fiscal year.
        year = parsed.current_year
        chosen = self.job.fiscal_year
        if year is None:
            if chosen is None:
                errors.append(
                    _problem(0, "#RAR", "filen anger inget räkenskapsår; välj räkenskapsår vid uppladdningen")
                )
                return errors
            start, end = chosen.start, chosen.end
        else:
            start, end = year.start, year.end
            if chosen is not None and (chosen.start, chosen.end) != (start, end):
                errors.append(
                    _problem(
                        year.line,
                        "#RAR",
                        f"filens räkenskapsår {start.isoformat()}–{end.isoformat()} är inte det valda "
                        f"räkenskapsåret {chosen.start.isoformat()}–{chosen.end.isoformat()}",
                    )
                )
                return errors
        if chosen is None:
            chosen = FiscalYear.objects.for_organisation(organisation).filter(start=start).first()
            if chosen is not None and chosen.end != end:
                errors.append(
                    _problem(
                        year.line if year else 0,
                        "#RAR",
                        f"räkenskapsåret som börjar {start.isoformat()} slutar {chosen.end.isoformat()} i Paragraf, "
                        f"men {end.isoformat()} i filen",
                    )
                )
                return errors
            overlapping = (
                FiscalYear.objects.for_organisation(organisation)
                .filter(start__lte=end, end__gte=start)
                .exclude(start=start)
            )
            if chosen is None and overlapping.exists():
                errors.append(
                    _problem(year.line if year else 0, "#RAR", "räkenskapsåret överlappar ett annat räkenskapsår")
                )
                return errors
        self.fiscal_year = chosen
        if chosen is None:
            self.create_fiscal_year = (start, end)
        elif reason := lock_reason(chosen, "bokföringen"):
            # Listed with every other problem of the file; any error means nothing is imported.
            errors.append(_problem(year.line if year else 0, "#RAR", reason))
        # Dates within the fiscal year (the parser checked against #RAR; here against the chosen year).
        for voucher in parsed.vouchers:
            if voucher.date is not None and not start <= voucher.date <= end and year is None:
                errors.append(
                    _problem(
                        voucher.line,
                        "#VER verifikationsdatum",
                        f"{voucher.date.isoformat()} ligger utanför räkenskapsåret",
                    )
                )
        # Accounts: every account used must be in the file or in the kontoplan.
        known = set(Account.objects.for_organisation(organisation).values_list("code", flat=True))
        declared = set(parsed.accounts)
        for where, account in self._used_accounts():
            if account not in known and account not in declared:
                errors.append(
                    _problem(
                        where[0],
                        f"{where[1]} kontonummer",
                        f"konto {account} finns varken i filen (#KONTO) eller i kontoplanen",
                    )
                )
        # Dimensions.
        known_dims = set(Dimension.objects.for_organisation(organisation).values_list("sie_number", flat=True))
        for voucher in parsed.vouchers:
            for transaction_ in voucher.transactions:
                for dimension, _code in transaction_.objects:
                    if dimension not in known_dims and dimension not in parsed.dimensions:
                        errors.append(
                            _problem(
                                transaction_.line,
                                f"#{transaction_.kind} objektlista",
                                f"dimension {dimension} finns varken i filen (#DIM) eller bland organisationens "
                                "dimensioner",
                            )
                        )
        if chosen is not None:
            errors.extend(self._check_against_stored(chosen))
        errors.extend(self._check_previous_year(start))
        return errors

    def _used_accounts(self):
        parsed = self.parsed
        for rows, label in (
            (parsed.opening_balances, "#IB"),
            (parsed.closing_balances, "#UB"),
            (parsed.results, "#RES"),
        ):
            for row in rows:
                if row.year == 0:
                    yield (row.line, label), row.account
        for row in parsed.period_balances:
            if row.year == 0:
                yield (row.line, "#PSALDO"), row.account
        for voucher in parsed.vouchers:
            for transaction_ in voucher.transactions:
                yield (transaction_.line, f"#{transaction_.kind}"), transaction_.account

    def _check_against_stored(self, fiscal_year: FiscalYear) -> list[dict]:
        errors = []
        replaced = replaceable_ids(self.job, fiscal_year)
        numbers = {
            (series, number): (line_import, filename)
            for series, number, line_import, filename in Voucher.objects.filter(fiscal_year=fiscal_year)
            .exclude(number="")
            .exclude(ledger_import_id__in=replaced)
            .values_list("series", "number", "ledger_import_id", "ledger_import__filename")
        }
        for voucher in self.parsed.vouchers:
            found = numbers.get((voucher.series, voucher.number))
            if voucher.number and found is not None:
                errors.append(
                    _problem(
                        voucher.line,
                        "#VER verifikationsnummer",
                        f"verifikation {voucher.label} finns redan i räkenskapsår {fiscal_year} (från ”{found[1]}”)",
                    )
                )
        kinds = set()
        if any(r.year == 0 for r in self.parsed.opening_balances):
            kinds.add(AccountBalance.Kind.OPENING)
        if any(r.year == 0 for r in self.parsed.closing_balances):
            kinds.add(AccountBalance.Kind.CLOSING)
        if any(r.year == 0 for r in self.parsed.results):
            kinds.add(AccountBalance.Kind.RESULT)
        stored = (
            AccountBalance.objects.filter(fiscal_year=fiscal_year, kind__in=kinds)
            .exclude(ledger_import_id__in=replaced)
            .values_list("kind", flat=True)
            .distinct()
        )
        labels = dict(AccountBalance.Kind.choices)
        for kind in sorted(set(stored)):
            errors.append(
                _problem(
                    0,
                    {"opening": "#IB", "closing": "#UB", "result": "#RES"}[kind],
                    f"{labels[kind].lower()} för räkenskapsår {fiscal_year} är redan importerad från en annan fil",
                )
            )
        if (
            self.parsed.period_balances
            and PeriodBalance.objects.filter(fiscal_year=fiscal_year).exclude(ledger_import_id__in=replaced).exists()
        ):
            errors.append(
                _problem(
                    0, "#PSALDO", f"periodsaldon för räkenskapsår {fiscal_year} är redan importerade från en annan fil"
                )
            )
        return errors

    def _check_previous_year(self, start: dt.date) -> list[dict]:
        """IB must equal the stored UB of the year before, when that year's closing balances are in Paragraf."""
        previous = (
            FiscalYear.objects.for_organisation(self.organisation).filter(end=start - dt.timedelta(days=1)).first()
        )
        if previous is None:
            return []
        closing = dict(
            AccountBalance.objects.filter(fiscal_year=previous, kind=AccountBalance.Kind.CLOSING).values_list(
                "account__code", "amount"
            )
        )
        opening_rows = [row for row in self.parsed.opening_balances if row.year == 0]
        if not closing or not opening_rows:
            return []
        opening = {row.account: row for row in opening_rows}
        now = {account: row.amount for account, row in opening.items()}
        # Opening minus closing for each account where the two differ.
        differences = {
            account: now.get(account, Decimal(0)) - closing.get(account, Decimal(0))
            for account in set(closing) | set(opening)
            if now.get(account, Decimal(0)) != closing.get(account, Decimal(0))
        }
        # At the turn of the year the result not yet booked (what the closing balances do not balance by) is
        # carried into eget kapital (BAS class 20): that difference is the rule, not an error.
        unbooked = -sum(closing.values(), Decimal(0))
        carried = sum(differences.values(), Decimal(0))
        if differences and all(account.startswith("20") for account in differences) and carried == unbooked:
            self.parsed.warnings.append(
                sie.SieProblem(
                    0,
                    "#IB",
                    f"årets resultat {previous} ({format_kr(-unbooked, 2)}) är fört till eget kapital i den "
                    "ingående balansen",
                )
            )
            return []
        errors = []
        for account in sorted(differences):
            row = opening.get(account)
            errors.append(
                _problem(
                    row.line if row else 0,
                    "#IB saldo",
                    f"ingående balans för konto {account} ({format_kr(now.get(account, Decimal(0)), 2)}) är inte "
                    f"utgående balans {previous} i Paragraf ({format_kr(closing.get(account, Decimal(0)), 2)})",
                )
            )
        return errors

    # Writing -------------------------------------------------------------------------------------------------

    def write(self) -> dict:
        parsed, organisation, job = self.parsed, self.organisation, self.job
        actor = job.imported_by
        if self.fiscal_year is None:
            start, end = self.create_fiscal_year  # type: ignore[misc]
            fiscal_year = FiscalYear(organisation=organisation, start=start, end=end)
            fiscal_year._history_user = actor
            fiscal_year.save()
            self.fiscal_year = fiscal_year
        fiscal_year = self.fiscal_year
        replace_imports(job, fiscal_year)
        accounts = {a.code: a for a in Account.objects.for_organisation(organisation)}
        new_accounts = 0
        for code, declared in sorted(parsed.accounts.items()):
            if code in accounts:
                continue
            account = Account(
                organisation=organisation,
                code=code,
                name=(declared.name or f"Konto {code}")[:200],
                kind=sie.account_kind(declared, code),
            )
            account._history_user = actor
            account.save()
            accounts[code] = account
            new_accounts += 1
        dimensions = {d.sie_number: d for d in Dimension.objects.for_organisation(organisation)}
        for number, declared in sorted(parsed.dimensions.items()):
            if number not in dimensions:
                dimension = Dimension(
                    organisation=organisation,
                    sie_number=number,
                    name=(declared.name or f"Dimension {number}")[:100],
                    kind=dimension_kind(number, declared.name),
                )
                dimension._history_user = actor
                dimension.save()
                dimensions[number] = dimension
        objects = {
            (o.dimension.sie_number, o.code): o
            for o in DimensionObject.objects.for_organisation(organisation).select_related("dimension")
        }
        wanted = {key: o.name for key, o in parsed.objects.items()}
        for voucher in parsed.vouchers:
            for transaction_ in voucher.transactions:
                for key in transaction_.objects:
                    wanted.setdefault(key, "")
        for row in parsed.period_balances:
            for key in row.objects:
                wanted.setdefault(key, "")
        for (number, code), name in sorted(wanted.items()):
            if (number, code) in objects or number not in dimensions:
                continue
            item = DimensionObject(dimension=dimensions[number], code=code[:40], name=name[:200])
            item._history_user = actor
            item.save()
            objects[(number, code)] = item

        # Balances.
        balances = []
        for rows, kind in (
            (parsed.opening_balances, AccountBalance.Kind.OPENING),
            (parsed.closing_balances, AccountBalance.Kind.CLOSING),
            (parsed.results, AccountBalance.Kind.RESULT),
        ):
            for row in rows:
                if row.year == 0:
                    balances.append(
                        AccountBalance(
                            organisation=organisation,
                            fiscal_year=fiscal_year,
                            ledger_import=job,
                            account=accounts[row.account],
                            kind=kind,
                            amount=row.amount,
                        )
                    )
        AccountBalance.objects.bulk_create(balances, batch_size=BATCH)
        periods = []
        for row in parsed.period_balances:
            if row.year != 0 or len(row.objects) > 1:
                continue  # several objects at once (SIE type 3 cross-sections) are not kept
            periods.append(
                PeriodBalance(
                    organisation=organisation,
                    fiscal_year=fiscal_year,
                    ledger_import=job,
                    account=accounts[row.account],
                    period=dt.date(int(row.period[:4]), int(row.period[4:]), 1),
                    dimension_object=objects.get(row.objects[0]) if row.objects else None,
                    amount=row.amount,
                )
            )
        PeriodBalance.objects.bulk_create(periods, batch_size=BATCH)

        # Verifikationer and transaktioner, in batches.
        entry_count = 0
        through = LedgerEntry.dimension_objects.through
        for first in range(0, len(parsed.vouchers), BATCH):
            chunk = parsed.vouchers[first : first + BATCH]
            rows = Voucher.objects.bulk_create(
                [
                    Voucher(
                        organisation_id=organisation.pk,
                        fiscal_year_id=fiscal_year.pk,
                        ledger_import_id=job.pk,
                        series=v.series[:20],
                        number=v.number[:40],
                        date=v.date,
                        text=v.text[:500],
                        registered_on=v.registered_on,
                        source_line=v.line,
                    )
                    for v in chunk
                ]
            )
            entries, links = [], []
            for stored, voucher in zip(rows, chunk, strict=True):
                for transaction_ in voucher.effective_transactions:
                    # Ids, not objects: the related descriptors cost more than the row itself at 100 000 rows.
                    entries.append(
                        LedgerEntry(
                            organisation_id=organisation.pk,
                            fiscal_year_id=fiscal_year.pk,
                            ledger_import_id=job.pk,
                            voucher_id=stored.pk,
                            account_id=accounts[transaction_.account].pk,
                            amount=transaction_.amount,
                            date=transaction_.date or voucher.date,
                            text=(transaction_.text or voucher.text)[:500],
                            quantity=transaction_.quantity,
                            added_afterwards=transaction_.kind == "RTRANS",
                            source_line=transaction_.line,
                        )
                    )
                    links.append(transaction_.objects)
            created = LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
            # The links are two integers each: written with executemany, without a model instance per row.
            pairs = [
                (entry.pk, objects[key].pk)
                for entry, keys in zip(created, links, strict=True)
                for key in dict.fromkeys(keys)
            ]
            if pairs:
                table = connection.ops.quote_name(through._meta.db_table)
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"INSERT INTO {table} (ledgerentry_id, dimensionobject_id) VALUES (%s, %s)",  # noqa: S608
                        pairs,
                    )
            entry_count += len(created)
        return {
            "voucher_count": len(parsed.vouchers),
            "entry_count": entry_count,
            "account_count": new_accounts,
        }


# Excel and CSV ---------------------------------------------------------------------------------------------


def column_mapping_for(*, organisation: Organisation) -> dict[str, str]:
    """The organisation's saved columns, or our field names as a first guess."""
    saved = ColumnMapping.objects.filter(organisation=organisation).first()
    if saved is not None and saved.columns:
        return dict(saved.columns)
    return {"date": "Datum", "account": "Konto", "amount": "Belopp", "text": "Text", "voucher": "Verifikation"}


@transaction.atomic
def tabular_import_upload(
    *,
    organisation: Organisation,
    actor: User,
    upload: UploadedFile,
    fiscal_year: FiscalYear,
    columns: dict[str, str],
    replace_previous: bool = False,
) -> LedgerImport:
    """Save the column mapping for the organisation, then import the Excel or CSV file like a SIE file: all or
    nothing, refused when already imported, in the background when large."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError({"fiscal_year": "Räkenskapsåret hör inte till organisationen."})
    refuse_if_year_locked(fiscal_year=fiscal_year, what="bokföringen", field="fiscal_year")
    columns = {name: (columns.get(name) or "").strip() for name in tabular.FIELDS}
    mapping, _ = ColumnMapping.objects.get_or_create(organisation=organisation)
    if mapping.columns != columns:
        mapping.columns = columns
        mapping._history_user = actor
        mapping.save()
    upload.seek(0)
    data = upload.read()
    if not data.strip():
        raise ValidationError({"file": "Filen är tom."})
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "Filen är större än 200 MB och kan inte importeras."})
    digest = sha256_of(data)
    earlier = duplicate_of(organisation=organisation, sha256=digest)
    if earlier is not None:
        raise ValidationError({"file": _duplicate_message(earlier)}, code="duplicate")
    source = LedgerImport.Source.EXCEL if tabular.is_excel(upload.name or "", data) else LedgerImport.Source.CSV
    job = LedgerImport(
        organisation=organisation,
        fiscal_year=fiscal_year,
        source=source,
        filename=(upload.name or "fil")[:255],
        sha256=digest,
        size=len(data),
        imported_by=actor,
        mapping=columns,
        replace_previous=replace_previous,
        status=Status.QUEUED if len(data) > _inline_max() else Status.RUNNING,
    )
    job._history_user = actor
    try:
        with transaction.atomic():
            job.file.save("import.dat", ContentFile(data), save=False)  # kept as underlag, as above
            job.save()
    except IntegrityError as exc:
        if job.file:
            job.file.storage.delete(job.file.name)
        raise ValidationError({"file": "Filen är redan importerad (samtidigt av någon annan)."}) from exc
    if job.status == Status.QUEUED:
        transaction.on_commit(partial(_enqueue, import_id=job.pk))
        return job
    _run(job.pk, data)
    job.refresh_from_db()
    return job


# SIE dimension numbers for dimensions created from a column: 1 kostnadsställe/ansvar, 6 projekt; verksamhet has
# no number in the standard, so it takes the first free one from 20 (the range left to the user).
COLUMN_DIMENSIONS = {
    "responsibility": (Dimension.Kind.RESPONSIBILITY, "Ansvar", 1),
    "activity": (Dimension.Kind.ACTIVITY, "Verksamhet", 20),
    "project": (Dimension.Kind.PROJECT, "Projekt", 6),
}


def _run_tabular(job: LedgerImport, data: bytes) -> None:
    parsed = tabular.read(data, job.filename, job.mapping)
    _progress(job.pk, 30)
    described = {"encoding": parsed.encoding}
    errors = [{"line": p.row, "field": p.column, "message": p.message} for p in parsed.errors]
    fiscal_year = job.fiscal_year
    organisation = job.organisation
    if reason := lock_reason(fiscal_year, "bokföringen"):
        errors.insert(0, {"line": 0, "field": "", "message": reason})
    accounts = {a.code: a for a in Account.objects.for_organisation(organisation)}
    mapping = job.mapping
    groups: dict[str, list[tabular.TabularRow]] = {}
    for row in parsed.rows:
        if not fiscal_year.contains(row.date):
            errors.append(
                _problem(
                    row.row,
                    mapping.get("date", ""),
                    f"{row.date.isoformat()} ligger utanför räkenskapsåret "
                    f"{fiscal_year.start.isoformat()}–{fiscal_year.end.isoformat()}",
                )
            )
        if row.account not in accounts:
            errors.append(
                _problem(row.row, mapping.get("account", ""), f"konto {row.account} finns inte i kontoplanen")
            )
        if row.voucher:
            groups.setdefault(row.voucher, []).append(row)
    stored = set(
        Voucher.objects.filter(fiscal_year=fiscal_year, series="")
        .exclude(number="")
        .exclude(ledger_import_id__in=replaceable_ids(job, fiscal_year))
        .values_list("number", flat=True)
    )
    for number, rows in groups.items():
        total = sum((r.amount for r in rows), Decimal(0))
        if total != 0:
            errors.append(
                _problem(
                    rows[0].row,
                    mapping.get("voucher", ""),
                    f"verifikation {number} (rad {', '.join(str(r.row) for r in rows)}) balanserar inte: "
                    f"debet och kredit skiljer {format_kr(total, 2)}",
                )
            )
        if number in stored:
            errors.append(
                _problem(
                    rows[0].row,
                    mapping.get("voucher", ""),
                    f"verifikation {number} finns redan i räkenskapsår {fiscal_year}",
                )
            )
    if not parsed.rows and not errors:
        errors.append(_problem(0, "", "filen innehåller inga rader att importera"))
    _progress(job.pk, 50)
    if errors:
        _fail(job.pk, sorted(errors, key=lambda e: e["line"]), **described)
        return
    try:
        with transaction.atomic():
            locked = LedgerImport.objects.select_for_update().get(pk=job.pk)
            if locked.status not in LedgerImport.ACTIVE_STATUSES:
                return
            counts = _write_tabular(job, parsed.rows, groups, accounts)
            _finish(job.pk, status=Status.DONE, progress=100, errors=[], **described, **counts)
    except IntegrityError:
        _fail(
            job.pk, [_problem(0, "", "En annan import skrev samma verifikationer samtidigt. Ingenting importerades.")]
        )
        return


def _column_dimension(organisation: Organisation, name: str, actor: User | None) -> Dimension:
    kind, label, number = COLUMN_DIMENSIONS[name]
    existing = Dimension.objects.for_organisation(organisation).filter(kind=kind).order_by("sie_number").first()
    if existing is not None:
        return existing
    taken = set(Dimension.objects.for_organisation(organisation).values_list("sie_number", flat=True))
    while number in taken:
        number = max(number + 1, 20)
    dimension = Dimension(organisation=organisation, kind=kind, name=label, sie_number=number)
    dimension._history_user = actor
    dimension.save()
    return dimension


def _write_tabular(job: LedgerImport, rows, groups, accounts) -> dict:
    organisation, fiscal_year, actor = job.organisation, job.fiscal_year, job.imported_by
    replace_imports(job, fiscal_year)
    objects: dict[tuple[str, str], DimensionObject] = {}
    for name in {key for row in rows for key in row.objects}:
        dimension = _column_dimension(organisation, name, actor)
        known = {o.code: o for o in dimension.items.all()}
        for code in sorted({row.objects[name] for row in rows if name in row.objects}):
            if code not in known:
                item = DimensionObject(dimension=dimension, code=code[:40])
                item._history_user = actor
                item.save()
                known[code] = item
            objects[(name, code)] = known[code]
    vouchers = {}
    if groups:
        created = Voucher.objects.bulk_create(
            [
                Voucher(
                    organisation=organisation,
                    fiscal_year=fiscal_year,
                    ledger_import=job,
                    number=number,
                    date=members[0].date,
                    text=members[0].text,
                    source_line=members[0].row,
                )
                for number, members in groups.items()
            ],
            batch_size=BATCH,
        )
        vouchers = {v.number: v for v in created}
    entries = LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                organisation=organisation,
                fiscal_year=fiscal_year,
                ledger_import=job,
                voucher=vouchers.get(row.voucher),
                account=accounts[row.account],
                amount=row.amount,
                date=row.date,
                text=row.text,
                source_line=row.row,
            )
            for row in rows
        ],
        batch_size=BATCH,
    )
    through = LedgerEntry.dimension_objects.through
    through.objects.bulk_create(
        [
            through(ledgerentry_id=entry.pk, dimensionobject_id=objects[(name, code)].pk)
            for entry, row in zip(entries, rows, strict=True)
            for name, code in row.objects.items()
        ],
        batch_size=BATCH,
    )
    return {"voucher_count": len(vouchers), "entry_count": len(entries), "account_count": 0}


# Replacing and taking back ----------------------------------------------------------------------------------


def replaceable_ids(job: LedgerImport, fiscal_year: FiscalYear | None) -> list[int]:
    """The fiscal year's imported files that `job` replaces (none unless it was asked to)."""
    if not job.replace_previous or fiscal_year is None or fiscal_year.pk is None:
        return []
    return list(
        LedgerImport.objects.filter(organisation=job.organisation, fiscal_year=fiscal_year, status=Status.DONE)
        .exclude(pk=job.pk)
        .values_list("pk", flat=True)
    )


def _remove_rows(import_ids: list[int]) -> None:
    LedgerEntry.objects.filter(ledger_import_id__in=import_ids).delete()
    Voucher.objects.filter(ledger_import_id__in=import_ids).delete()
    AccountBalance.objects.filter(ledger_import_id__in=import_ids).delete()
    PeriodBalance.objects.filter(ledger_import_id__in=import_ids).delete()


def replace_imports(job: LedgerImport, fiscal_year: FiscalYear) -> None:
    """Inside the import's transaction: the replaced imports' rows go, and each says what replaced it."""
    ids = replaceable_ids(job, fiscal_year)
    if not ids:
        return
    _remove_rows(ids)
    for earlier in LedgerImport.objects.filter(pk__in=ids):
        earlier.status, earlier.replaced_by = Status.REPLACED, job
        earlier._history_user = job.imported_by
        earlier.save()


@transaction.atomic
def ledger_import_withdraw(*, ledger_import: LedgerImport, actor: User) -> LedgerImport:
    """Take an imported (or still queued) file back: its verifikationer, transaktioner and saldon go; accounts,
    dimensions and the fiscal year stay. The file may then be imported again. A queued task that starts later
    finds the import taken back and does nothing."""
    job = LedgerImport.objects.select_for_update(of=("self",)).select_related("fiscal_year").get(pk=ledger_import.pk)
    refuse_if_year_locked(fiscal_year=job.fiscal_year, what="importerad bokföring")
    if job.status not in (Status.DONE, Status.QUEUED):
        raise ValidationError(
            f"Bara en importerad eller köad fil kan tas bort; den här är {job.get_status_display().lower()}."
        )
    _remove_rows([job.pk])
    if job.file:
        name = job.file.name
        transaction.on_commit(lambda: job.file.storage.delete(name))
        job.file = ""
    job.status = Status.WITHDRAWN
    job._history_user = actor
    job.save()
    return job
