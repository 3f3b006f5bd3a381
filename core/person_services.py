"""Writes that tie a person in the paperwork to a login: invitations from the membership register, and the
person every staff user has in their organisation.

An invitation is a signed, expiring token (django.core.signing) naming the person and the address it was sent
to. It works once: accepting links the person to an account, and a person with an account is never invited
again; changing the person's e-mail address makes earlier links stop working. Every change is a history row
of Person, User or RoleAssignment with the actor (django-simple-history), so the granskningslogg shows who
invited whom and when it was accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Person, Role, User
from .user_services import USERNAME_TAKEN, role_assign
from .validators import validate_deliverable_email

INVITATION_SALT = "paragraf.person-invitation"
INVITATION_MAX_AGE = dt.timedelta(days=14)

INVALID_LINK = (
    "Länken i inbjudan fungerar inte längre: den har redan använts, gått ut eller ersatts av en ny. "
    "Be nämndsekreteraren skicka en ny inbjudan."
)
ALREADY_LINKED = "{person} har redan en inloggning."
OTHER_ACCOUNT_LINKED = "Ditt konto är redan kopplat till en annan person i {organisation}."
NO_EMAIL = "{person} saknar e-postadress. Ange en adress för att skicka inbjudan."


@dataclass(frozen=True)
class Invitation:
    person: Person
    email: str


# Invitations -------------------------------------------------------------------------------------------------


def invitation_token(*, person: Person, email: str) -> str:
    return signing.dumps({"p": person.pk, "e": email.lower()}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The person the token invites; ValidationError(INVALID_LINK) when forged, expired, used or superseded."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
        person = Person.objects.select_related("organisation").get(pk=data["p"])
    except (signing.BadSignature, Person.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(INVALID_LINK, code="invalid") from exc
    if person.user_id is not None or person.email.lower() != data["e"]:
        raise ValidationError(INVALID_LINK, code="invalid")
    return Invitation(person=person, email=person.email)


@transaction.atomic
def person_email_set(*, person: Person, actor: User, email: str) -> Person:
    """Set the person's e-mail address (validated as deliverable); a change makes earlier invitations void."""
    email = (email or "").strip()
    if email:
        try:
            validate_deliverable_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": exc.messages}, code="email") from exc
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.email != email:
        person.email = email
        person._history_user = actor
        person.save(update_fields=["email"])
    return person


@transaction.atomic
def person_invite(*, person: Person, actor: User, email: str | None = None) -> Person:
    """E-mail the person a link to create (or link) a login with the ledamot role in their organisation."""
    if email is not None:
        person = person_email_set(person=person, actor=actor, email=email)
    person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError(ALREADY_LINKED.format(person=person), code="already_linked")
    if not person.email:
        raise ValidationError({"email": NO_EMAIL.format(person=person)}, code="no_email")
    token = invitation_token(person=person, email=person.email)
    url = settings.PARAGRAF["BASE_URL"].rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
    context = {
        "person": person,
        "organisation": person.organisation,
        "actor": actor,
        "url": url,
        "valid_days": INVITATION_MAX_AGE.days,
    }
    subject = "".join(render_to_string("registration/person_invitation_subject.txt", context).splitlines())
    body = render_to_string("registration/person_invitation_email.txt", context)
    # The audit row: who invited whom, to which address.
    person._history_user = actor
    person._change_reason = f"Inbjudan till inloggning skickad till {person.email}"
    person.save()
    address = person.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]), robust=True)
    return person


def _link(*, invitation: Invitation, user: User) -> Person:
    person = Person.objects.select_for_update().get(pk=invitation.person.pk)
    if person.user_id is not None:
        raise ValidationError(INVALID_LINK, code="invalid")
    organisation = invitation.person.organisation
    if Person.objects.for_organisation(organisation).filter(user=user).exists():
        raise ValidationError(OTHER_ACCOUNT_LINKED.format(organisation=organisation.name), code="other_person")
    person.user = user
    person._history_user = user
    person._change_reason = "Inbjudan accepterad"
    person.save(update_fields=["user"])
    role_assign(organisation=organisation, actor=user, user=user, role=Role.MEMBER)
    return person


@transaction.atomic
def invitation_accept_new(*, token: str, username: str, password: str) -> User:
    """Create an account from the invitation (the password passes Django's validators) and link the person."""
    invitation = invitation_from_token(token)
    person = invitation.person
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN}, code="username_taken")
    user = User(username=username, first_name=person.first_name, last_name=person.last_name, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}, code="password") from exc
    user.set_password(password)
    user.full_clean(exclude=["password", "last_organisation"], validate_unique=False)
    user.last_organisation = person.organisation
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": USERNAME_TAKEN}, code="username_taken") from exc
    _link(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_accept_existing(*, token: str, user: User) -> Person:
    """Link the invited person to the account the invitee is logged in with."""
    invitation = invitation_from_token(token)
    return _link(invitation=invitation, user=user)


def people_without_login_or_email(*, people, account_email_counts: bool = True) -> list[dict]:
    """For the warnings before justering and kallelse: who lacks a login, an e-mail address, or both.

    The kallelse goes to the person's own address only; the justering link also to the login's address.
    """
    found = []
    seen = set()
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        email = person.email or (person.user.email if person.user_id and account_email_counts else "")
        missing = [text for text, lacking in (("inloggning", not person.user_id), ("e-post", not email)) if lacking]
        if missing:
            found.append({"person": person, "missing": missing})
    return found
