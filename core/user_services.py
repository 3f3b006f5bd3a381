"""Writes for user administration within one organisation.

Every service owns its transaction and locks the organisation row first, so that two administrators acting at
the same moment cannot together leave the organisation without an active administrator. django-simple-history
records each change with `_history_user` set to the actor (also when no request exists, e.g. in a shell).

Accounts are global but roles are per organisation. An administrator of one organisation therefore changes
only what belongs to it: the roles there. The account itself (name, e-mail, active or not) is changed here only
when the account belongs to this organisation alone; otherwise an administrator of organisation A could change
the e-mail of a user of organisation B and take over that account with "Glömt lösenord".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Organisation, Person, Role, RoleAssignment, User

USERNAME_TAKEN = "Användarnamnet är upptaget. Välj ett annat."
LAST_ADMIN = (
    "Organisationen måste ha minst en aktiv administratör. "
    "Ge först någon annan rollen Administratör och försök sedan igen."
)
SHARED_ACCOUNT = (
    "Kontot används även i en annan organisation. Namn, e-post och inaktivering ändras därför inte här; "
    "du kan ändra användarens roller eller ta bort användaren från organisationen."
)


# Roles whose holders are tjänstepersoner: they get a person in the organisation, so that they can be chosen as
# sekreterare and handläggare. Administrator, ekonom and revisor may be staff too but need not be in the paperwork.
STAFF_PERSON_ROLES = frozenset({Role.SECRETARY, Role.DIRECTOR})
# Roles whose holders may be handläggare: the organisation's employees, never a ledamot or a guest.
STAFF_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.ECONOMIST})


def _lock(organisation: Organisation) -> None:
    """Serialise role changes per organisation (a no-op on SQLite, which has one writer anyway)."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk", flat=True).first()


def _active_admin_ids(organisation: Organisation) -> set[int]:
    return set(
        RoleAssignment.objects.filter(organisation=organisation, role=Role.ADMIN, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _ensure_admin_remains(organisation: Organisation, *, losing: User) -> None:
    """Raise when `losing` is the last active administrator and is about to stop being one."""
    if _active_admin_ids(organisation) <= {losing.pk}:
        raise ValidationError(LAST_ADMIN, code="last_admin")


def is_shared_account(*, user: User, organisation: Organisation) -> bool:
    return RoleAssignment.objects.filter(user=user).exclude(organisation=organisation).exists()


def _ensure_not_shared(user: User, organisation: Organisation) -> None:
    if is_shared_account(user=user, organisation=organisation):
        raise ValidationError(SHARED_ACCOUNT, code="shared_account")


def _ensure_member(user: User, organisation: Organisation) -> None:
    if not RoleAssignment.objects.filter(user=user, organisation=organisation).exists():
        # Callers fetch users through the organisation's queryset; reaching this is a programming error.
        raise ValidationError("Användaren hör inte till organisationen.", code="not_member")


def _clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(roles))
    unknown = [role for role in chosen if role not in Role.values]
    if unknown:
        raise ValidationError({"roles": f"Okänd roll: {', '.join(unknown)}."}, code="unknown_role")
    if not chosen:
        raise ValidationError({"roles": "Välj minst en roll."}, code="no_role")
    return sorted(chosen, key=Role.values.index)


# Roles ----------------------------------------------------------------------------------------------------


@transaction.atomic
def role_assign(*, organisation: Organisation, actor: User, user: User, role: str) -> RoleAssignment:
    """Give `user` a role in the organisation. Idempotent: an existing assignment is returned unchanged."""
    _clean_roles([role])
    existing = RoleAssignment.objects.filter(user=user, organisation=organisation, role=role).first()
    if existing is not None:
        return existing
    assignment = RoleAssignment(user=user, organisation=organisation, role=role)
    assignment._history_user = actor
    assignment.save()
    if role in STAFF_PERSON_ROLES:
        staff_person_ensure(organisation=organisation, user=user, actor=actor, title=Role(role).label)
    return assignment


def staff_person_ensure(*, organisation: Organisation, user: User, actor: User | None, title: str = "") -> Person:
    """The user's person in the organisation: the linked one, else an unlinked one with the account's e-mail
    address (linked now), else a new one from the account's name."""
    people = Person.objects.for_organisation(organisation)
    person = people.filter(user=user).first()
    if person is not None:
        return person
    if user.email:
        person = people.filter(user__isnull=True, email__iexact=user.email).order_by("pk").first()
    if person is None:
        person = Person(
            organisation=organisation,
            first_name=user.first_name or user.username,
            last_name=user.last_name,
            email=user.email,
            title=title,
        )
    person.user = user
    person._history_user = actor
    person._change_reason = f"Kopplad till inloggningen {user.username}"
    person.save()
    return person


@transaction.atomic
def role_revoke(*, organisation: Organisation, actor: User, user: User, role: str) -> None:
    """Take a role away. Refused when it would leave the organisation without an active administrator."""
    _lock(organisation)
    assignment = RoleAssignment.objects.filter(user=user, organisation=organisation, role=role).first()
    if assignment is None:
        return
    if role == Role.ADMIN and user.is_active:
        _ensure_admin_remains(organisation, losing=user)
    assignment._history_user = actor
    assignment.delete()


# Accounts -------------------------------------------------------------------------------------------------


def invitation_url(user: User) -> str:
    """A one-time link where the user chooses a password (Django's password-reset token: it stops working
    once a password is set or after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.PARAGRAF["BASE_URL"].rstrip("/") + path


def user_invitation_send(*, user: User, organisation: Organisation, actor: User | None = None) -> None:
    """Send the Swedish "välj ditt lösenord" e-mail. Only for accounts that have no password yet."""
    if user.has_usable_password():
        raise ValidationError(
            "Användaren har redan valt ett lösenord. Be hen använda ”Glömt lösenordet?” på inloggningssidan.",
            code="has_password",
        )
    if not user.email:
        raise ValidationError("Användaren saknar e-postadress.", code="no_email")
    context = {
        "user": user,
        "organisation": organisation,
        "actor": actor,
        "url": invitation_url(user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = "".join(render_to_string("registration/invitation_subject.txt", context).splitlines())
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_invite(
    *,
    organisation: Organisation,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[str],
) -> User:
    """Create an account without a password, give it roles here and e-mail a link to choose a password.

    The administrator never knows the user's password. An existing username is refused with the same message
    whichever organisation it belongs to, so the form reveals nothing about other organisations.
    """
    roles = _clean_roles(roles)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN}, code="username_taken")
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email.strip())
    user.set_unusable_password()
    user.full_clean(validate_unique=False)
    user._history_user = actor
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same username saved a moment ago by someone else
        raise ValidationError({"username": USERNAME_TAKEN}, code="username_taken") from exc
    for role in roles:
        role_assign(organisation=organisation, actor=actor, user=user, role=role)
    # robust: a mail server that is down must not turn a created account into an error page; the failure is
    # logged and the administrator can resend the invitation from the user's page.
    transaction.on_commit(lambda: user_invitation_send(user=user, organisation=organisation, actor=actor), robust=True)
    return user


@transaction.atomic
def user_add_existing(*, organisation: Organisation, actor: User, user: User, roles: Iterable[str]) -> User:
    """Give an account the actor already administers elsewhere roles in this organisation too.

    Allowed only when the actor is administrator in one of the user's organisations, so nobody can reach
    (or learn about) an account they do not already administer.
    """
    roles = _clean_roles(roles)
    administered = RoleAssignment.objects.filter(user=actor, role=Role.ADMIN).values("organisation")
    if not RoleAssignment.objects.filter(user=user, organisation__in=administered).exists():
        raise ValidationError({"user": "Välj en användare i listan."}, code="not_administered")
    if RoleAssignment.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"user": "Användaren finns redan i organisationen."}, code="already_member")
    for role in roles:
        role_assign(organisation=organisation, actor=actor, user=user, role=role)
    return user


@transaction.atomic
def user_update(
    *,
    organisation: Organisation,
    actor: User,
    user: User,
    roles: Iterable[str],
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
) -> User:
    """Change a user's roles here and, for an account of this organisation only, their name and e-mail."""
    _lock(organisation)
    _ensure_member(user, organisation)
    roles = _clean_roles(roles)

    identity = {"first_name": first_name, "last_name": last_name, "email": email}
    changed = {
        field: value.strip()
        for field, value in identity.items()
        if value is not None and value.strip() != getattr(user, field)
    }
    if changed:
        _ensure_not_shared(user, organisation)
        for field, value in changed.items():
            setattr(user, field, value)
        user.full_clean(validate_unique=False)
        user._history_user = actor
        user.save(update_fields=list(changed))

    current = set(RoleAssignment.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))
    for role in roles:
        if role not in current:
            role_assign(organisation=organisation, actor=actor, user=user, role=role)
    for role in sorted(current - set(roles)):
        try:
            role_revoke(organisation=organisation, actor=actor, user=user, role=role)
        except ValidationError as exc:
            raise ValidationError({"roles": exc.messages}, code="last_admin") from exc
    return user


@transaction.atomic
def user_remove(*, organisation: Organisation, actor: User, user: User) -> None:
    """Remove a user from this organisation: every role here goes, the account stays for other organisations.

    A person record here that pointed at the account (e.g. a ledamot who logs in) is kept but unlinked, so the
    removed user can no longer act through it.
    """
    _lock(organisation)
    _ensure_member(user, organisation)
    assignments = list(RoleAssignment.objects.filter(user=user, organisation=organisation))
    if user.is_active and any(a.role == Role.ADMIN for a in assignments):
        _ensure_admin_remains(organisation, losing=user)
    for assignment in assignments:
        assignment._history_user = actor
        assignment.delete()
    for person in Person.objects.for_organisation(organisation).filter(user=user):
        person.user = None
        person._history_user = actor
        person.save(update_fields=["user"])


@transaction.atomic
def user_deactivate(*, organisation: Organisation, actor: User, user: User) -> User:
    """Stop an account from logging in at all. Only for accounts of this organisation alone; never oneself."""
    _lock(organisation)
    _ensure_member(user, organisation)
    if user.pk == actor.pk:
        raise ValidationError("Du kan inte inaktivera ditt eget konto.", code="self")
    _ensure_not_shared(user, organisation)
    if not user.is_active:
        return user
    if RoleAssignment.objects.filter(user=user, organisation=organisation, role=Role.ADMIN).exists():
        _ensure_admin_remains(organisation, losing=user)
    user.is_active = False
    user._history_user = actor
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_activate(*, organisation: Organisation, actor: User, user: User) -> User:
    _lock(organisation)
    _ensure_member(user, organisation)
    _ensure_not_shared(user, organisation)
    if user.is_active:
        return user
    user.is_active = True
    user._history_user = actor
    user.save(update_fields=["is_active"])
    return user
