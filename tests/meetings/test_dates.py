"""The date rules of anslag, överklagande and laga kraft (meetings.dates)."""

import datetime as dt

import pytest
from dateutil.easter import easter as dateutil_easter
from hypothesis import given
from hypothesis import strategies as st

from meetings import dates

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, D(2019, 4, 21)),
        (2020, D(2020, 4, 12)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday(year, expected):
    assert dates.easter_sunday(year) == expected


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_matches_dateutil_and_is_a_sunday(year):
    easter = dates.easter_sunday(year)
    assert easter == dateutil_easter(year)
    assert easter.weekday() == 6
    assert D(year, 3, 22) <= easter <= D(year, 4, 25)


def test_holidays_of_2025():
    holidays = dates.swedish_holidays(2025)
    assert holidays[D(2025, 1, 6)] == "Trettondedag jul"
    assert holidays[D(2025, 4, 18)] == "Långfredagen"
    assert holidays[D(2025, 4, 21)] == "Annandag påsk"
    assert holidays[D(2025, 5, 29)] == "Kristi himmelsfärdsdag"
    assert holidays[D(2025, 6, 6)] == "Sveriges nationaldag"
    assert holidays[D(2025, 6, 20)] == "Midsommarafton"
    assert holidays[D(2025, 6, 21)] == "Midsommardagen"
    assert holidays[D(2025, 11, 1)] == "Alla helgons dag"
    assert holidays[D(2025, 12, 24)] == "Julafton"
    assert holidays[D(2025, 12, 31)] == "Nyårsafton"
    assert D(2025, 6, 19) not in holidays  # a Thursday before midsommar is a working day


@given(st.integers(min_value=1900, max_value=2200))
def test_midsummer_and_all_saints_fall_in_their_windows(year):
    by_name = {name: day for day, name in dates.swedish_holidays(year).items()}
    assert by_name["Midsommarafton"].weekday() == 4
    assert D(year, 6, 19) <= by_name["Midsommarafton"] <= D(year, 6, 25)
    assert by_name["Midsommardagen"] == by_name["Midsommarafton"] + dt.timedelta(days=1)
    assert by_name["Alla helgons dag"].weekday() == 5
    assert D(year, 10, 31) <= by_name["Alla helgons dag"] <= D(year, 11, 6)


def test_posting_deadline_is_the_second_day_after_justering_across_year_end():
    assert dates.posting_deadline(D(2019, 11, 28)) == D(2019, 11, 30)
    assert dates.posting_deadline(D(2019, 12, 30)) == D(2020, 1, 1)
    assert dates.posting_deadline(D(2024, 2, 28)) == D(2024, 3, 1)


def test_earliest_take_down_is_three_weeks_later():
    assert dates.earliest_take_down(D(2019, 12, 20)) == D(2020, 1, 10)
    assert dates.earliest_take_down(D(2024, 2, 8)) == D(2024, 2, 29)
    # Three weeks end on midsommardagen (Saturday 2022-06-25): the appeal time, and the anslag, run to Monday.
    assert dates.earliest_take_down(D(2022, 6, 4)) == dates.appeal_last_day(D(2022, 6, 4)) == D(2022, 6, 27)


@pytest.mark.parametrize(
    ("posted_on", "last_day"),
    [
        (D(2019, 12, 20), D(2020, 1, 10)),  # across the year end, a plain Friday
        (D(2019, 12, 3), D(2019, 12, 27)),  # +21 = julafton; juldagen and annandag jul follow
        (D(2019, 12, 10), D(2020, 1, 2)),  # +21 = nyårsafton, then nyårsdagen
        (D(2025, 12, 16), D(2026, 1, 7)),  # +21 = trettondedag jul
        (D(2025, 3, 28), D(2025, 4, 22)),  # +21 = långfredagen, then the Easter weekend and annandag påsk
        (D(2025, 5, 8), D(2025, 5, 30)),  # +21 = Kristi himmelsfärdsdag
        (D(2025, 5, 16), D(2025, 6, 9)),  # +21 = nationaldagen (Friday), then the weekend
        (D(2025, 5, 30), D(2025, 6, 23)),  # +21 = midsommarafton
        (D(2025, 10, 11), D(2025, 11, 3)),  # +21 = alla helgons dag
        (D(2025, 1, 4), D(2025, 1, 27)),  # +21 = a Saturday
        (D(2025, 1, 5), D(2025, 1, 27)),  # +21 = a Sunday
        (D(2024, 2, 8), D(2024, 2, 29)),  # leap day, a Thursday
    ],
)
def test_appeal_last_day(posted_on, last_day):
    assert dates.appeal_last_day(posted_on) == last_day


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_appeal_last_day_is_the_first_working_day_from_three_weeks(posted_on):
    last_day = dates.appeal_last_day(posted_on)
    three_weeks = posted_on + dt.timedelta(days=21)
    assert last_day >= three_weeks
    assert dates.is_working_day(last_day)
    day = three_weeks
    while day < last_day:
        assert not dates.is_working_day(day)
        day += dt.timedelta(days=1)
    assert dates.final_on(posted_on, appealed=False) == last_day + dt.timedelta(days=1)
    assert dates.final_on(posted_on, appealed=True) is None


def test_final_on():
    assert dates.final_on(D(2019, 12, 20), appealed=False) == D(2020, 1, 11)
    assert dates.final_on(D(2019, 12, 3), appealed=False) == D(2019, 12, 28)
    assert dates.final_on(D(2019, 12, 20), appealed=True) is None
