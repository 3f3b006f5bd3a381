"""The backup of docs/operations.md: dated snapshots (dump + hard-linked media), restored into a fresh database
with the documented --no-owner --no-acl restore, every stored SHA-256 compared with its file.

PostgreSQL only (pg_dump of the test database): skipped on SQLite.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.management.commands.verify_backup import checked_fields
from core.models import Role
from meetings.attachments import attachment_add
from meetings.models import Attachment
from reporting.models import RenderJobAppendix
from tests.core.upload_bombs import pdf
from tests.factories import CommitteeFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory
from tests.reporting.conftest import make_job

ROOT = Path(__file__).resolve().parents[2]
on_postgresql = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="pg_dump/pg_restore: sätt DATABASE_URL=postgres://…",
)


def test_every_model_with_a_stored_file_and_checksum_is_verified():
    from django.apps import apps

    covered = {model._meta.label: checked_fields(model) for model in apps.get_models() if checked_fields(model)}
    assert covered == {
        "finance.AnnualReport": [("ledger_extract", "ledger_extract_sha256")],  # the Excel underlag, fastställd
        "finance.LedgerImport": [("file", "sha256")],  # the imported file, kept as the year's underlag
        "meetings.Attachment": [("file", "sha256")],
        "reporting.RenderJob": [("output", "output_sha256")],
        "reporting.RenderJobAppendix": [("file", "sha256")],
    }


def stored_files(organisation) -> dict[str, object]:
    """One of each kind of stored file with its SHA-256: a bilaga, a rendered document and a document's bilaga."""
    secretary = user_with_role(organisation, Role.SECRETARY)
    item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = attachment_add(
        organisation=organisation,
        actor=secretary,
        upload=SimpleUploadedFile("underlag.pdf", pdf(), content_type="application/pdf"),
        agenda_item=item,
    )
    output = b"%PDF-1.7\n% dokument\n"
    job = make_job(organisation, secretary, data=output)
    appendix_data = pdf(comment=b"bilaga")
    appendix = RenderJobAppendix(
        job=job,
        position=1,
        name="Bilaga 1.pdf",
        kind="pdf",
        sha256=hashlib.sha256(appendix_data).hexdigest(),
        size=len(appendix_data),
    )
    appendix.file.save("bilaga.pdf", ContentFile(appendix_data), save=False)
    appendix.save()
    return {"attachment": attachment, "job": job, "appendix": appendix}


@pytest.mark.django_db
def test_verify_backup_names_a_changed_and_a_missing_file(organisation, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    objects = stored_files(organisation)
    call_command("verify_backup")
    assert "3 filer kontrollerade mot sin SHA-256" in capsys.readouterr().out

    (tmp_path / objects["job"].output.name).write_bytes(b"%PDF-1.7\n% changed\n")
    (tmp_path / objects["attachment"].file.name).unlink()
    with pytest.raises(CommandError, match="2 av 3 filer stämmer inte"):
        call_command("verify_backup")
    errors = capsys.readouterr().err
    assert f"reporting.RenderJob {objects['job'].pk} ({objects['job'].output.name}): SHA-256 stämmer inte" in errors
    assert f"meetings.Attachment {objects['attachment'].pk} ({objects['attachment'].file.name}): filen saknas" in errors


def run(command: list[str], **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False
    )


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@on_postgresql
@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads the database from its own connection
def test_backup_snapshots_restore_into_a_fresh_database_and_every_checksum_matches(organisation, settings, tmp_path):
    media, backups = tmp_path / "media", tmp_path / "backup"
    media.mkdir()
    settings.MEDIA_ROOT = media
    objects = stored_files(organisation)
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(media), "DJANGO_SETTINGS_MODULE": "config.settings.test"}

    first = run(["sh", "scripts/backup.sh", str(backups)], **env)
    assert first.returncode == 0, first.stderr
    first_snapshot = Path(first.stdout.strip().splitlines()[-1])
    assert (first_snapshot / "paragraf.dump").is_file()

    # A bilaga deleted after the first backup: the second snapshot lacks it, the first still has it.
    attachment = objects["attachment"]
    deleted_name = attachment.file.name
    Attachment.objects.filter(pk=attachment.pk).delete()
    (media / deleted_name).unlink()
    time.sleep(1.1)  # snapshots are named by the second
    second = run(["sh", "scripts/backup.sh", str(backups)], **env)
    assert second.returncode == 0, second.stderr
    second_snapshot = Path(second.stdout.strip().splitlines()[-1])
    assert second_snapshot != first_snapshot
    assert (first_snapshot / "media" / deleted_name).is_file()
    assert not (second_snapshot / "media" / deleted_name).exists()
    unchanged = objects["job"].output.name
    assert (first_snapshot / "media" / unchanged).stat().st_ino == (second_snapshot / "media" / unchanged).stat().st_ino

    # The older snapshot restores whole: its dump still names the deleted bilaga, and its media has it.
    for snapshot, files in ((first_snapshot, 3), (second_snapshot, 2)):
        check = run([sys.executable, "scripts/restore_check.py", str(snapshot)], **env)
        assert check.returncode == 0, check.stdout + check.stderr
        assert f"{files} filer kontrollerade mot sin SHA-256" in check.stdout

    # One changed byte in one file of a snapshot fails the check and names the file.
    damaged = first_snapshot / "media" / objects["appendix"].file.name
    damaged.unlink()  # the snapshot's files are hard links: replace, never edit in place
    damaged.write_bytes(pdf(comment=b"bilagX"))
    check = run([sys.executable, "scripts/restore_check.py", str(first_snapshot)], **env)
    assert check.returncode != 0
    assert f"reporting.RenderJobAppendix {objects['appendix'].pk}" in check.stderr
    assert "SHA-256 stämmer inte" in check.stderr

    # The scratch databases are gone again.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'paragraf_restore_check_%%'")
        assert cursor.fetchone()[0] == 0
