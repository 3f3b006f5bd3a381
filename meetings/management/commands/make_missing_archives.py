"""`manage.py make_missing_archives`: ask for the archive PDF/A of every justerat protokoll that lacks one."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from meetings import minutes_services
from meetings.models import Minutes


class Command(BaseCommand):
    help = "Beställer arkivexemplaret (PDF/A) för varje justerat protokoll som saknar det eller där det misslyckades."

    def handle(self, *args, **options):
        asked = minutes_services.minutes_archive_missing(automatic=False)
        if not asked:
            self.stdout.write("Alla justerade protokoll har ett arkivexemplar eller ett som är på väg.")
            return
        for minutes in Minutes.objects.filter(pk__in=asked).select_related("meeting__committee", "archived_job"):
            self.stdout.write(
                f"Arkiv beställt: {minutes.meeting.committee} {minutes.meeting.date.isoformat()} "
                f"(protokoll {minutes.pk}, dokumentjobb {minutes.archived_job_id})"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(asked)} arkiv beställda. Dokumentkön skapar dem."))
