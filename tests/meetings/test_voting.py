"""Who decides in a § and how a votering ends (meetings.voting): pure functions, no database."""

import pytest
from django.core.exceptions import ValidationError

from core.models import Person
from meetings.models import Attendance, Recusal
from meetings.voting import CASTING_VOTE_REQUIRED, decision_makers_for, outcome, tally

DM, SS, SUB, OFF = "decision_maker", "serving_substitute", "substitute", "official"


def person(pk: int, name: str) -> Person:
    return Person(pk=pk, first_name=name, last_name="Test")


ANNA, BO, CECILIA, DAVID, ERIK, FRIDA = (
    person(i, n) for i, n in enumerate(["Anna", "Bo", "Cecilia", "David", "Erik", "Frida"], 1)
)


def seat(who, capacity=DM, *, replaces=None, start=None, end=None, position=0):
    return Attendance(
        pk=who.pk,
        person=who,
        capacity=capacity,
        replaces=replaces,
        from_paragraph=start,
        to_paragraph=end,
        position=position,
    )


def names(people):
    return [p.first_name for p in people]


def test_beslutande_and_serving_substitutes_decide_others_do_not():
    attendances = [seat(ANNA), seat(BO), seat(CECILIA, SS, replaces=DAVID), seat(ERIK, SUB), seat(FRIDA, OFF)]
    assert names(decision_makers_for(73, attendances, [])) == ["Anna", "Bo", "Cecilia"]


def test_paragraph_range_limits_who_decides():
    attendances = [seat(ANNA), seat(BO, start=75, end=81)]
    assert names(decision_makers_for(74, attendances, [])) == ["Anna"]
    assert names(decision_makers_for(75, attendances, [])) == ["Anna", "Bo"]
    assert names(decision_makers_for(81, attendances, [])) == ["Anna", "Bo"]
    assert names(decision_makers_for(82, attendances, [])) == ["Anna"]


def test_substitute_counts_instead_of_the_ledamot_they_replace():
    # Bo leaves after § 74; Cecilia serves in his place from § 75.
    attendances = [seat(ANNA), seat(BO), seat(CECILIA, SS, replaces=BO, start=75)]
    assert names(decision_makers_for(74, attendances, [])) == ["Anna", "Bo"]
    assert names(decision_makers_for(75, attendances, [])) == ["Anna", "Cecilia"]


def test_recused_ledamot_is_not_counted():
    attendances = [seat(ANNA), seat(BO), seat(CECILIA)]
    recusals = [Recusal(person=BO)]
    assert names(decision_makers_for(76, attendances, recusals)) == ["Anna", "Cecilia"]


def test_ersattare_replacing_a_javig_ledamot_for_that_paragraph_is_counted():
    attendances = [seat(ANNA), seat(BO), seat(CECILIA), seat(DAVID, SS, replaces=BO, start=76, end=76)]
    recusals = [Recusal(person=BO)]
    deciders = decision_makers_for(76, attendances, recusals)
    assert names(deciders) == ["Anna", "Cecilia", "David"]
    # Outside § 76 Bo decides himself and David does not.
    assert names(decision_makers_for(77, attendances, [])) == ["Anna", "Bo", "Cecilia"]


def test_ersattare_replacing_a_javig_ledamot_is_counted_in_a_votering():
    attendances = [seat(ANNA), seat(BO), seat(CECILIA), seat(DAVID, SS, replaces=BO, start=76, end=76)]
    deciders = decision_makers_for(76, attendances, [Recusal(person=BO)])
    ballots = {ANNA.pk: "yes", CECILIA.pk: "no", DAVID.pk: "no"}
    assert [p.pk for p in deciders] == list(ballots)  # exactly who gets a ballot
    yes, no, abstain = tally(ballots.values())
    assert (yes, no, abstain) == (1, 2, 0)
    assert outcome(yes, no, None) == "no"


def test_a_javig_ersattare_is_not_counted_either():
    attendances = [seat(ANNA), seat(DAVID, SS, replaces=BO)]
    assert names(decision_makers_for(70, attendances, [Recusal(person=DAVID)])) == ["Anna"]


def test_recusals_may_be_people_or_ids():
    attendances = [seat(ANNA), seat(BO)]
    assert names(decision_makers_for(70, attendances, [BO])) == ["Anna"]
    assert names(decision_makers_for(70, attendances, [ANNA.pk])) == ["Bo"]


def test_tally_counts_each_choice():
    assert tally(["yes", "no", "abstain", "yes"]) == (2, 1, 1)
    assert tally([]) == (0, 0, 0)
    with pytest.raises(ValueError):
        tally(["kanske"])


@pytest.mark.parametrize(
    ("yes", "no", "casting", "expected"),
    [
        (3, 2, None, "yes"),
        (2, 3, None, "no"),
        (3, 2, "no", "yes"),
        (2, 2, "yes", "yes"),
        (2, 2, "no", "no"),
        (0, 0, "no", "no"),
    ],
)
def test_outcome(yes, no, casting, expected):
    assert outcome(yes, no, casting) == expected


@pytest.mark.parametrize("casting", [None, "", "abstain"])
def test_tie_without_casting_vote_is_refused_with_the_law(casting):
    with pytest.raises(ValidationError) as info:
        outcome(2, 2, casting)
    assert info.value.message_dict["casting_vote"] == [CASTING_VOTE_REQUIRED]
    assert "KL 5 kap. 60 §" in CASTING_VOTE_REQUIRED
