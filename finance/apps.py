from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Ekonomi"

    def ready(self):
        from . import permissions  # noqa: F401  registers the app's rules
        from .locks import register_statement_locks

        register_statement_locks()  # a fastställd årsredovisning locks its year's statements too
