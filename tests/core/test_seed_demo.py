import pytest
from django.core.management import call_command

from core.models import FederationMember, Organisation, Person, RoleAssignment, User
from meetings.models import Committee, Membership

DEMO_LOGINS = ["admin", "sekreterare", "forbundschef", "ekonom", "revisor", "ledamot", "deltagaransvarig"]


def _counts():
    models = [Organisation, FederationMember, User, RoleAssignment, Person, Committee, Membership]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_one_login_per_role(capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first

    output = capsys.readouterr().out
    for username in DEMO_LOGINS:
        assert username in output
        assert User.objects.get(username=username).check_password("demo")

    federation = Organisation.objects.get(name="Samordningsförbundet Skellefteå-Norsjö")
    assert federation.kind == Organisation.Kind.FEDERATION
    assert sorted(federation.members.values_list("name", flat=True)) == [
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Norsjö kommun",
        "Region Västerbotten",
        "Skellefteå kommun",
    ]
    for name in ["Ljusnarsbergs kommun", "Ludvika kommun", "Lindesbergs kommun"]:
        assert Organisation.objects.filter(name=name, kind=Organisation.Kind.MUNICIPALITY).exists()

    board = Committee.objects.get(organisation=federation, short_name="STY")
    seats = Membership.objects.filter(committee=board)
    assert seats.exclude(role=Membership.Role.SUBSTITUTE).count() == 5
    assert seats.filter(role=Membership.Role.SUBSTITUTE).count() == 5
    # Every ersättare is the personal ersättare of one ledamot, and each ledamot represents a member.
    assert seats.filter(role=Membership.Role.SUBSTITUTE, personal_substitute_for__isnull=True).count() == 0
    assert set(seats.values_list("represents__name", flat=True)) == set(
        federation.members.values_list("name", flat=True)
    )
