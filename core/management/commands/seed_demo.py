from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from core.demo import DEMO_PASSWORD, LOGINS, seed_core

# Each app that has demo data exposes a seeding function; they run in this order after the core data.
APP_SEEDERS = ["meetings.demo.seed_meetings", "projects.demo.seed_projects", "finance.demo.seed_finance"]


class Command(BaseCommand):
    help = "Lägger in demodata (organisationerna i källdokumenten, fiktiva personer, en inloggning per roll)."

    def handle(self, *args, **options):
        seed_core()
        # Demo people have example.se addresses: the kallelser and mails the seeding sends are kept, not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for path in APP_SEEDERS:
                if find_spec(path.rsplit(".", 1)[0]) is None:
                    continue  # the app has no demo data yet
                import_string(path)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata klar."))
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, first_name, last_name, roles in LOGINS:
            labels = sorted({role.label for role_list in roles.values() for role in role_list})
            self.stdout.write(f"  {username:<16} {first_name} {last_name} – {', '.join(labels)}")
        self.stdout.write(f"Logga in på {settings.PARAGRAF['BASE_URL']}/konto/logga-in/")
