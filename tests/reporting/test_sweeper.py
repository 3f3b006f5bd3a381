"""The sweeper: lost messages sent again, dead and poison jobs failed with a Swedish message, archives made again."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from meetings import minutes_services
from meetings.models import Membership, Minutes, Signatory
from reporting import services, sweep_services
from reporting.models import RenderJob
from reporting.tasks import render_job_task
from tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, user_with_role
from tests.meetings.factories import MeetingFactory, MinutesFactory

from .conftest import make_job

pytestmark = pytest.mark.django_db

Status = RenderJob.Status


@pytest.fixture
def in_broker(monkeypatch):
    """What the broker holds: a set of task ids the test fills in, or None for "cannot be read"."""
    held: dict = {"ids": set()}
    monkeypatch.setattr(sweep_services, "task_ids_in_broker", lambda *, queue: held["ids"])
    return held


@pytest.fixture
def sent(monkeypatch):
    from config.celery import app

    calls = []
    monkeypatch.setattr(app, "send_task", lambda name, **kwargs: calls.append((name, kwargs)))
    return calls


def ago(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def lost_limit(settings) -> int:
    return settings.CELERY_TASK_TIME_LIMIT + settings.RENDER_JOB_STALE_MARGIN_SECONDS


def running(organisation, user, *, silent_for: float, **fields) -> RenderJob:
    return make_job(
        organisation,
        user,
        status=Status.RUNNING,
        started_at=ago(silent_for),
        heartbeat_at=ago(silent_for),
        celery_task_id=fields.pop("celery_task_id", f"task-{time.monotonic_ns()}"),
        **fields,
    )


def test_a_running_job_silent_past_the_limit_is_failed_with_the_stale_message(
    organisation, requester, settings, in_broker
):
    dead = running(organisation, requester, silent_for=lost_limit(settings) + 5, deliveries=1)
    alive = running(organisation, requester, silent_for=5, deliveries=1)
    report = sweep_services.jobs_sweep(broker=True)
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert report.failed == [dead.pk]
    assert dead.status == Status.FAILED and dead.error == services.MESSAGE_STALE and dead.finished_at
    assert alive.status == Status.RUNNING


def test_a_silent_job_whose_message_the_broker_still_holds_is_left_for_its_redelivery(
    organisation, requester, settings, in_broker
):
    job = running(organisation, requester, silent_for=lost_limit(settings) + 5, deliveries=1)
    in_broker["ids"] = {job.celery_task_id}
    assert sweep_services.jobs_sweep(broker=True).failed == []
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_with_the_broker_unreadable_only_the_long_limit_fails_and_nothing_is_sent(
    organisation, requester, settings, in_broker, sent
):
    in_broker["ids"] = None
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    recent = running(organisation, requester, silent_for=lost_limit(settings) + 5)
    old = running(organisation, requester, silent_for=lost_limit(settings) + visibility + 5)
    queued = make_job(organisation, requester, status=Status.QUEUED, progress=0, celery_task_id="q")
    RenderJob.objects.filter(pk=queued.pk).update(created_at=ago(3600))
    report = sweep_services.jobs_sweep(broker=True)
    assert report.broker_known is False
    assert report.failed == [old.pk]
    recent.refresh_from_db()
    assert recent.status == Status.RUNNING
    assert sent == []


def test_a_job_delivered_too_often_is_failed_as_poison_and_never_rendered(
    organisation, requester, settings, monkeypatch
):
    settings.RENDER_JOB_MAX_DELIVERIES = 3
    job = make_job(organisation, requester, status=Status.RUNNING, deliveries=3, progress=10)
    rendered = []
    monkeypatch.setattr(services, "_render", lambda job_id: rendered.append(job_id))
    services.render_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert rendered == []
    assert job.status == Status.FAILED
    assert job.error == services.MESSAGE_POISON.format(deliveries=3)
    assert "3 gånger" in job.error


def test_each_claim_counts_a_delivery_and_a_retry_hands_it_back(organisation, requester, monkeypatch):
    job = make_job(organisation, requester, status=Status.QUEUED, progress=0)
    monkeypatch.setattr(services, "_render", lambda job_id: None)
    services.render_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.deliveries == 1 and job.status == Status.RUNNING and job.heartbeat_at
    services.render_job_requeue(job_id=job.pk, retry_in=30)
    job.refresh_from_db()
    assert job.deliveries == 0 and job.status == Status.QUEUED
    assert job.enqueued_at > timezone.now() + dt.timedelta(seconds=25)  # the sweeper waits for the retry


def test_a_stale_job_past_the_delivery_limit_gets_the_poison_message(organisation, requester, settings, in_broker):
    job = running(
        organisation, requester, silent_for=lost_limit(settings) + 5, deliveries=settings.RENDER_JOB_MAX_DELIVERIES
    )
    sweep_services.jobs_sweep(broker=True)
    job.refresh_from_db()
    assert job.status == Status.FAILED and "gånger" in job.error


def test_a_queued_job_without_a_message_is_sent_again_under_its_task_id(
    organisation, requester, settings, in_broker, sent
):
    lost = make_job(organisation, requester, status=Status.QUEUED, progress=0, celery_task_id="lost-task")
    waiting = make_job(organisation, requester, status=Status.QUEUED, progress=0, celery_task_id="waiting-task")
    fresh = make_job(organisation, requester, status=Status.QUEUED, progress=0, celery_task_id="fresh-task")
    old = ago(settings.RENDER_JOB_RESEND_AFTER_SECONDS + 5)
    RenderJob.objects.filter(pk__in=[lost.pk, waiting.pk]).update(created_at=old, enqueued_at=old)
    in_broker["ids"] = {"waiting-task"}

    report = sweep_services.jobs_sweep(broker=True)
    assert report.resent == [lost.pk]
    assert sent == [
        (render_job_task.name, {"kwargs": {"job_id": lost.pk}, "task_id": "lost-task", "queue": "paragraf"})
    ]
    lost.refresh_from_db()
    assert lost.enqueue_attempts == 1 and lost.enqueued_at > old and lost.last_enqueue_error == ""
    # Sent once per RENDER_JOB_RESEND_AFTER_SECONDS at most, not on every sweep.
    assert sweep_services.jobs_sweep(broker=True).resent == []
    assert {fresh.pk, waiting.pk}.isdisjoint(report.resent)


def test_a_failed_resend_is_noted_and_the_job_stays_queued(organisation, requester, settings, in_broker, monkeypatch):
    from config.celery import app

    def down(*args, **kwargs):
        raise ConnectionRefusedError("redis is away")

    monkeypatch.setattr(app, "send_task", down)
    job = make_job(organisation, requester, status=Status.QUEUED, progress=0, celery_task_id="t")
    RenderJob.objects.filter(pk=job.pk).update(created_at=ago(3600))
    assert sweep_services.jobs_sweep(broker=True).resent == []
    job.refresh_from_db()
    assert job.status == Status.QUEUED and "redis is away" in job.last_enqueue_error and job.enqueue_attempts == 1


def test_in_process_the_sweep_renders_a_lost_queued_job(organisation, requester, settings, media_root):
    job = make_job(
        organisation,
        requester,
        status=Status.QUEUED,
        progress=0,
        celery_task_id="in-process",
        params={"on": "2026-01-05"},
    )
    RenderJob.objects.filter(pk=job.pk).update(created_at=ago(3600))
    assert sweep_services.jobs_sweep(broker=False).resent == [job.pk]
    job.refresh_from_db()
    assert job.status == Status.DONE, job.error


def test_the_job_page_fails_a_long_dead_job(client_for, organisation, settings):
    client = client_for(organisation, Role.SECRETARY)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    settings.CELERY_TASK_ALWAYS_EAGER = False
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    job = running(organisation, user, silent_for=lost_limit(settings) + visibility + 5)
    page = client.get(reverse("reporting:job_detail", kwargs={"pk": job.pk})).content.decode()
    assert "Pågår" not in page
    assert services.MESSAGE_STALE in page


def test_a_running_job_without_heartbeat_says_so_on_its_pages(client_for, organisation):
    client = client_for(organisation, Role.SECRETARY)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    silent = running(organisation, user, silent_for=120)
    beating = running(organisation, user, silent_for=1)
    assert silent.seems_stalled and not beating.seems_stalled
    page = client.get(reverse("reporting:job_detail", kwargs={"pk": silent.pk})).content.decode()
    assert "arbetet avbröts och tas upp igen av sig självt" in page
    assert "avbrutet, tas upp igen" in client.get(reverse("reporting:job_list")).content.decode()
    page = client.get(reverse("reporting:job_detail", kwargs={"pk": beating.pk})).content.decode()
    assert "dokumentet skapas" in page and "avbröts" not in page


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_writes_while_a_step_runs(organisation, requester, settings):
    settings.RENDER_JOB_HEARTBEAT_SECONDS = 0.1
    job = make_job(organisation, requester, status=Status.RUNNING, heartbeat_at=ago(600), progress=40)
    with services._heartbeat(job.pk, enabled=True):
        time.sleep(0.5)
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < dt.timedelta(seconds=2)


# -- Archives of justerade protokoll -------------------------------------------------------------------------


def verified_minutes(organisation, **fields) -> Minutes:
    minutes = MinutesFactory(meeting__committee__organisation=organisation)
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.VERIFIED, verified_at=timezone.now(), **fields)
    minutes.refresh_from_db()
    return minutes


def archive_job(organisation, user, minutes, status=Status.FAILED) -> RenderJob:
    job = make_job(organisation, user, status=status)
    RenderJob.objects.filter(pk=job.pk).update(kind="meetings.minutes", params={"minutes": minutes.pk})
    return job


def minutes_awaiting_the_last_approval(organisation):
    """A protokoll in justering whose ordförande has approved; the justerare's approval is the last one."""
    secretary = user_with_role(organisation, Role.SECRETARY)
    committee = CommitteeFactory(organisation=organisation)
    chair = PersonFactory(organisation=organisation)
    verifier = PersonFactory(organisation=organisation, user=user_with_role(organisation, Role.MEMBER))
    for person, role in ((chair, Membership.Role.CHAIR), (verifier, Membership.Role.MEMBER)):
        MembershipFactory(committee=committee, person=person, role=role)
    meeting = MeetingFactory(committee=committee)
    minutes = MinutesFactory(meeting=meeting)
    minutes_services.attendance_fill_from_memberships(minutes=minutes, actor=secretary)
    paragraph = minutes_services.paragraph_add(minutes=minutes, actor=secretary, title="Budget")
    minutes_services.paragraph_update(
        paragraph=paragraph, actor=secretary, title="Budget", decision_clauses=["att godkänna budgeten"]
    )
    minutes_services.signatories_set(minutes=minutes, actor=secretary, chair=chair, verifiers=[verifier])
    minutes_services.minutes_send_for_verification(minutes=minutes, actor=secretary, verification_url="http://x/")
    minutes_services.signatory_approve(signatory=Signatory.objects.get(minutes=minutes, role="chair"), actor=secretary)
    return minutes, Signatory.objects.get(minutes=minutes, role="verifier"), verifier.user


def test_the_last_approval_writes_the_archive_job_with_the_lock_even_when_the_broker_is_down(
    organisation, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("redis is away")

    monkeypatch.setattr(render_job_task, "apply_async", down)
    minutes, signatory, user = minutes_awaiting_the_last_approval(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.signatory_approve(signatory=signatory, actor=user)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.VERIFIED
    job = minutes.archived_job
    assert job is not None and job.status == Status.QUEUED and "redis is away" in job.last_enqueue_error
    assert job.params == {"minutes": minutes.pk}


def test_a_missing_archive_is_asked_for_again(organisation, monkeypatch):
    monkeypatch.setattr(render_job_task, "apply_async", lambda **kwargs: None)
    missing = verified_minutes(organisation)
    draft = MinutesFactory(meeting__committee__organisation=organisation)
    asked = minutes_services.minutes_archive_missing()
    assert asked == [missing.pk]
    missing.refresh_from_db()
    job = missing.archived_job
    assert job.kind == "meetings.minutes" and job.params == {"minutes": missing.pk} and job.status == Status.QUEUED
    draft.refresh_from_db()
    assert draft.archived_job is None
    # On its way now: not asked for twice.
    assert minutes_services.minutes_archive_missing() == []


def test_a_failed_archive_is_asked_for_again_after_a_while_and_a_few_times_only(
    organisation, requester, settings, monkeypatch
):
    monkeypatch.setattr(render_job_task, "apply_async", lambda **kwargs: None)
    settings.ARCHIVE_AUTO_ATTEMPTS = 2
    minutes = verified_minutes(organisation)
    failed = archive_job(organisation, requester, minutes)
    Minutes.objects.filter(pk=minutes.pk).update(archived_job=failed)
    RenderJob.objects.filter(pk=failed.pk).update(finished_at=timezone.now())
    assert minutes_services.minutes_archive_missing() == []  # failed just now: wait
    later = timezone.now() + dt.timedelta(seconds=settings.ARCHIVE_RETRY_AFTER_SECONDS + 1)
    assert minutes_services.minutes_archive_missing(now=later) == [minutes.pk]

    minutes.refresh_from_db()
    RenderJob.objects.filter(pk=minutes.archived_job_id).update(status=Status.FAILED, error="x", finished_at=ago(0))
    # Two failures: the sweeper stops asking; the command still asks.
    assert minutes_services.minutes_archive_missing(now=later + dt.timedelta(days=1)) == []
    assert minutes_services.minutes_archive_missing(automatic=False) == [minutes.pk]


def test_make_missing_archives_command_says_what_it_did(organisation, monkeypatch, capsys):
    monkeypatch.setattr(render_job_task, "apply_async", lambda **kwargs: None)
    minutes = verified_minutes(organisation)
    call_command("make_missing_archives")
    out = capsys.readouterr().out
    assert f"protokoll {minutes.pk}" in out and "1 arkiv beställda" in out
    call_command("make_missing_archives")
    assert "Alla justerade protokoll har ett arkivexemplar" in capsys.readouterr().out


def test_the_protokoll_page_shows_the_archive_state_and_asks_again(client_for, organisation, requester, monkeypatch):
    monkeypatch.setattr(render_job_task, "apply_async", lambda **kwargs: None)
    minutes = verified_minutes(organisation)
    failed = archive_job(organisation, requester, minutes)
    Minutes.objects.filter(pk=minutes.pk).update(archived_job=failed)
    secretary = client_for(organisation, Role.SECRETARY)
    detail = reverse("minutes:minutes_detail", kwargs={"pk": minutes.pk})
    page = secretary.get(detail).content.decode()
    assert "Arkivexemplaret (PDF/A) kunde inte skapas: Något gick fel." in page
    assert "Skapa arkivet igen" in page
    meeting_page = secretary.get(reverse("agenda:meeting_detail", kwargs={"pk": minutes.meeting_id})).content.decode()
    assert "kunde inte skapas" in meeting_page and "Skapa arkivet igen" in meeting_page

    # A ledamot may not ask (and without a seat in the committee does not even read the archive's state).
    member_page = client_for(organisation, Role.MEMBER).get(detail).content.decode()
    assert "Skapa arkivet igen" not in member_page
    response = client_for(organisation, Role.MEMBER).post(reverse("minutes:archive_again", kwargs={"pk": minutes.pk}))
    assert response.status_code == 403

    response = secretary.post(reverse("minutes:archive_again", kwargs={"pk": minutes.pk}))
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.archived_job_id != failed.pk and minutes.archived_job.status == Status.QUEUED
    page = secretary.get(detail).content.decode()
    assert "Arkivexemplaret (PDF/A) skapas – köad." in page and "Skapa arkivet igen" not in page
