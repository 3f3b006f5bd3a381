"""Demo data: the organisations of the seed documents, fictional people, one login per role.

Idempotent: every row is found by a natural key (organisationsnummer, username, committee short name,
person name) and only created when missing, so `seed_demo` can run on every `make run`.
Demo only; production has no default accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from meetings.models import Committee, Membership

from .models import FederationMember, Organisation, Person, Role, RoleAssignment, User
from .user_services import STAFF_PERSON_ROLES, staff_person_ensure

DEMO_PASSWORD = "demo"  # noqa: S105  (demo logins only, printed by the command)

FEDERATION = "Samordningsförbundet Skellefteå-Norsjö"
LJUSNARSBERG = "Ljusnarsbergs kommun"
LUDVIKA = "Ludvika kommun"
LINDESBERG = "Lindesbergs kommun"

ORGANISATIONS = [
    # name, kind, organisationsnummer (valid check digits), street, postal code, city
    (FEDERATION, Organisation.Kind.FEDERATION, "222000-2642", "Hörnellgatan 17, vån 3", "931 30", "Skellefteå"),
    ("Försäkringskassan", Organisation.Kind.AGENCY, "202100-5521", "", "103 51", "Stockholm"),
    ("Arbetsförmedlingen", Organisation.Kind.AGENCY, "202100-2114", "", "113 99", "Stockholm"),
    ("Region Västerbotten", Organisation.Kind.REGION, "232100-0222", "", "901 89", "Umeå"),
    ("Skellefteå kommun", Organisation.Kind.MUNICIPALITY, "212000-2759", "Trädgårdsgatan 6", "931 85", "Skellefteå"),
    ("Norsjö kommun", Organisation.Kind.MUNICIPALITY, "212000-2734", "Storgatan 16", "935 81", "Norsjö"),
    (LJUSNARSBERG, Organisation.Kind.MUNICIPALITY, "212000-1967", "Stationsgatan 3", "714 80", "Kopparberg"),
    (LUDVIKA, Organisation.Kind.MUNICIPALITY, "212000-2171", "Fredsgatan 10", "771 82", "Ludvika"),
    (LINDESBERG, Organisation.Kind.MUNICIPALITY, "212000-1975", "Drottninggatan 5", "711 80", "Lindesberg"),
]
FEDERATION_MEMBERS = [
    "Försäkringskassan",
    "Arbetsförmedlingen",
    "Region Västerbotten",
    "Skellefteå kommun",
    "Norsjö kommun",
]

# username, first name, last name, {organisation: roles}
LOGINS = [
    (
        "admin",
        "Alva",
        "Adminsson",
        {FEDERATION: [Role.ADMIN], LJUSNARSBERG: [Role.ADMIN], LUDVIKA: [Role.ADMIN], LINDESBERG: [Role.ADMIN]},
    ),
    (
        "sekreterare",
        "Sara",
        "Skrivare",
        {FEDERATION: [Role.SECRETARY], LJUSNARSBERG: [Role.SECRETARY], LINDESBERG: [Role.SECRETARY]},
    ),
    ("forbundschef", "Fredrik", "Förbundsson", {FEDERATION: [Role.DIRECTOR]}),
    ("ekonom", "Elin", "Ekström", {FEDERATION: [Role.ECONOMIST], LJUSNARSBERG: [Role.ECONOMIST]}),
    ("revisor", "Rune", "Revisorsson", {FEDERATION: [Role.AUDITOR]}),
    ("ledamot", "Lena", "Ledin", {FEDERATION: [Role.MEMBER], LJUSNARSBERG: [Role.MEMBER]}),
    # Staff of Skellefteå kommun running Arbetsmarknadstorget: keeps its participant register at the kommun (the
    # utförare) and submits its counts; in the förbund sees that insats's reports only (projects.demo assigns both).
    (
        "deltagaransvarig",
        "Dina",
        "Dahlberg",
        {FEDERATION: [Role.PARTICIPANT_OFFICER], "Skellefteå kommun": [Role.PARTICIPANT_OFFICER]},
    ),
]


@dataclass(frozen=True)
class Seat:
    first_name: str
    last_name: str
    role: str
    party: str = ""
    represents: str = ""
    login: str = ""


STY_SEATS = [
    Seat("Bengt", "Almqvist", Membership.Role.CHAIR, "S", "Skellefteå kommun"),
    Seat("Anders", "Ekholm", Membership.Role.VICE_CHAIR, "", "Arbetsförmedlingen"),
    Seat("Karl", "Andrén", Membership.Role.MEMBER, "", "Försäkringskassan"),
    Seat("Mikael", "Bergfors", Membership.Role.MEMBER, "C", "Region Västerbotten"),
    Seat("Lena", "Ledin", Membership.Role.MEMBER, "S", "Norsjö kommun", login="ledamot"),
]
STY_SUBSTITUTES = [
    Seat("Anna", "Frost", Membership.Role.SUBSTITUTE, "M", "Skellefteå kommun"),
    Seat("Mattias", "Lindgren", Membership.Role.SUBSTITUTE, "", "Arbetsförmedlingen"),
    Seat("Linnea", "Persköld", Membership.Role.SUBSTITUTE, "", "Försäkringskassan"),
    Seat("Cecilia", "Forsmark", Membership.Role.SUBSTITUTE, "S", "Region Västerbotten"),
    Seat("Patrik", "Strömberg", Membership.Role.SUBSTITUTE, "S", "Norsjö kommun"),
]
SN_SEATS = [
    Seat("Ingrid", "Kopparholm", Membership.Role.CHAIR, "S"),
    Seat("Olof", "Hyttner", Membership.Role.VICE_CHAIR, "M"),
    Seat("Lena", "Ledin", Membership.Role.MEMBER, "S", login="ledamot"),
    Seat("Göran", "Bergslagh", Membership.Role.MEMBER, "SD"),
    Seat("Maja", "Silfver", Membership.Role.MEMBER, "V"),
    Seat("Tove", "Grufberg", Membership.Role.SUBSTITUTE, "S"),
    Seat("Erik", "Malmberg", Membership.Role.SUBSTITUTE, "M"),
    Seat("Sofia", "Kolbäck", Membership.Role.SUBSTITUTE, "C"),
]
KS_SEATS = [
    Seat("Per", "Hammarlund", Membership.Role.CHAIR, "S"),
    Seat("Ingrid", "Kopparholm", Membership.Role.VICE_CHAIR, "S"),
    Seat("Olof", "Hyttner", Membership.Role.MEMBER, "M"),
    Seat("Karin", "Gruvström", Membership.Role.MEMBER, "C"),
    Seat("Nils", "Bergslagh", Membership.Role.MEMBER, "SD"),
    Seat("Hanna", "Stollberg", Membership.Role.SUBSTITUTE, "S"),
    Seat("Johan", "Ängelsberg", Membership.Role.SUBSTITUTE, "M"),
]
PERIOD_START = dt.date(2019, 1, 1)


def _organisations() -> dict[str, Organisation]:
    found = {}
    for name, kind, number, street, postal_code, city in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            org_number=number,
            defaults={"name": name, "kind": kind, "street_address": street, "postal_code": postal_code, "city": city},
        )
        found[name] = organisation
    federation = found[FEDERATION]
    for member_name in FEDERATION_MEMBERS:
        FederationMember.objects.get_or_create(
            federation=federation, member=found[member_name], defaults={"joined_on": dt.date(2009, 1, 1)}
        )
    return found


def _logins(organisations: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    for username, first_name, last_name, roles in LOGINS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@paragraf.example.se"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for organisation_name, role_list in roles.items():
            for role in role_list:
                RoleAssignment.objects.get_or_create(
                    user=user, organisation=organisations[organisation_name], role=role
                )
                if role in STAFF_PERSON_ROLES:
                    # Staff are persons too: chosen as sekreterare and handläggare.
                    staff_person_ensure(
                        organisation=organisations[organisation_name], user=user, actor=None, title=Role(role).label
                    )
        users[username] = user
    return users


_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def demo_email(first_name: str, last_name: str) -> str:
    """ "johan.angelsberg@example.se": å, ä and ö written as a and o, since such an address cannot be delivered."""
    return f"{first_name}.{last_name}@example.se".lower().translate(_ASCII)


def _person(organisation: Organisation, seat: Seat, users: dict[str, User]) -> Person:
    email = demo_email(seat.first_name, seat.last_name)
    person, created = Person.objects.get_or_create(
        organisation=organisation,
        first_name=seat.first_name,
        last_name=seat.last_name,
        defaults={"user": users.get(seat.login), "email": email},
    )
    if not created and person.email != email and not person.email.partition("@")[0].isascii():
        # Demo data seeded before the addresses were made deliverable.
        Person.objects.filter(pk=person.pk).update(email=email)
        person.email = email
    return person


def _committee(organisation, short_name, name, kind, *, public=False, parent=None, **rules) -> Committee:
    committee, _ = Committee.objects.get_or_create(
        organisation=organisation,
        short_name=short_name,
        defaults={"name": name, "kind": kind, "meetings_public": public, "parent": parent, **rules},
    )
    return committee


def _seat(committee: Committee, seat: Seat, users, organisations, *, order=None, personal_for=None) -> Membership:
    person = _person(committee.organisation, seat, users)
    membership, _ = Membership.objects.get_or_create(
        committee=committee,
        person=person,
        role=seat.role,
        starts_on=PERIOD_START,
        defaults={
            "party": seat.party,
            "represents": organisations.get(seat.represents),
            "substitute_order": order,
            "personal_substitute_for": personal_for,
        },
    )
    return membership


def _seat_committee(committee, seats, users, organisations, *, personal_substitutes=False) -> None:
    members = []
    order = 0
    for seat in seats:
        if seat.role == Membership.Role.SUBSTITUTE:
            order += 1
            personal_for = members[order - 1] if personal_substitutes and order <= len(members) else None
            _seat(committee, seat, users, organisations, order=order, personal_for=personal_for)
        else:
            members.append(_seat(committee, seat, users, organisations))


@transaction.atomic
def seed_core() -> dict:
    organisations = _organisations()
    users = _logins(organisations)

    federation = organisations[FEDERATION]
    # Förbundsordningen 6 §: beslutsför när mer än hälften av ledamöterna är närvarande, det vill säga minst tre;
    # för alla beslut krävs kvalificerad majoritet räknad på de närvarande röstberättigade (2/3 vald här).
    styrelse = _committee(
        federation,
        "STY",
        "Styrelsen",
        Committee.Kind.BOARD,
        majority_rule=Committee.MajorityRule.QUALIFIED,
        majority_fraction=Committee.MajorityFraction.TWO_THIRDS,
        majority_basis=Committee.MajorityBasis.PRESENT,
        quorum=3,
    )
    # Each member names one ledamot and a personal ersättare for that ledamot (förbundsordningen).
    _seat_committee(styrelse, STY_SEATS + STY_SUBSTITUTES, users, organisations, personal_substitutes=True)
    for first, last, title in [
        ("Maja", "Lindqvist Tornberg", "Förbundschef"),
        ("Mats", "Sundberg", "Ekonom"),
        ("Britt", "Stolpe", "Förbundssekreterare"),
    ]:
        Person.objects.get_or_create(
            organisation=federation, first_name=first, last_name=last, defaults={"title": title}
        )

    ljusnarsberg = organisations[LJUSNARSBERG]
    _committee(ljusnarsberg, "KF", "Kommunfullmäktige", Committee.Kind.COUNCIL, public=True)
    ks = _committee(ljusnarsberg, "KS", "Kommunstyrelsen", Committee.Kind.BOARD)
    _committee(ljusnarsberg, "KSAU", "Kommunstyrelsens arbetsutskott", Committee.Kind.SUBCOMMITTEE, parent=ks)
    sn = _committee(ljusnarsberg, "SN", "Socialnämnden", Committee.Kind.COMMITTEE)
    _seat_committee(ks, KS_SEATS, users, organisations)
    _seat_committee(sn, SN_SEATS, users, organisations)
    for first, last, title in [
        ("Karolina", "Bruksberg", "Socialchef"),
        ("Sven", "Järnvall", "Nämndsekreterare"),
    ]:
        Person.objects.get_or_create(
            organisation=ljusnarsberg, first_name=first, last_name=last, defaults={"title": title}
        )

    _committee(organisations[LUDVIKA], "KS", "Kommunstyrelsen", Committee.Kind.BOARD)
    _committee(organisations[LINDESBERG], "KS", "Kommunstyrelsen", Committee.Kind.BOARD)
    return {"organisations": organisations, "users": users}
