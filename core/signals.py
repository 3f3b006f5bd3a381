"""Signal receivers that replace Django defaults where they would clutter the audit trail."""

from django.utils import timezone


def record_last_login(sender, user, **kwargs) -> None:
    """Django's update_last_login, without a history row: a login is not a change of the account."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving
