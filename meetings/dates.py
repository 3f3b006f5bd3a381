"""The date rules of anslag, överklagande and laga kraft. Pure functions: no database, no clock.

- Anslag: the justering is announced on the anslagstavla "senast andra dagen efter justeringen" (KL 8 kap. 12 §),
  and the anslag stays up at least three weeks.
- Överklagande (laglighetsprövning, KL 13 kap. 5 §): within three weeks from the day the anslag was posted. When
  the last day falls on a Saturday, a Sunday or a holiday (midsommarafton, julafton and nyårsafton count as
  holidays), the appeal may come in on the next weekday (lag 1930:173 om beräkning av lagstadgad tid).
- Laga kraft: the day after the last day for appeal, if nobody appealed.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

APPEAL_PERIOD = dt.timedelta(days=21)
MIN_POSTING_PERIOD = dt.timedelta(days=21)
POSTING_DAYS_AFTER_VERIFICATION = 2


def easter_sunday(year: int) -> dt.date:
    """Påskdagen in the Gregorian calendar (the anonymous Gregorian computus, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday_from(start: dt.date, weekday: int) -> dt.date:
    """The first date on or after `start` that falls on `weekday` (Monday = 0)."""
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=256)
def swedish_holidays(year: int) -> dict[dt.date, str]:
    """Swedish public holidays of a year, plus the eves that lag 1930:173 treats as holidays, by date."""
    easter = easter_sunday(year)
    day = dt.timedelta(days=1)
    midsummer_eve = _first_weekday_from(dt.date(year, 6, 19), 4)  # the Friday of 19–25 June
    all_saints = _first_weekday_from(dt.date(year, 10, 31), 5)  # the Saturday of 31 October – 6 November
    return {
        dt.date(year, 1, 1): "Nyårsdagen",
        dt.date(year, 1, 6): "Trettondedag jul",
        easter - 2 * day: "Långfredagen",
        easter: "Påskdagen",
        easter + day: "Annandag påsk",
        dt.date(year, 5, 1): "Första maj",
        easter + 39 * day: "Kristi himmelsfärdsdag",
        easter + 49 * day: "Pingstdagen",
        dt.date(year, 6, 6): "Sveriges nationaldag",
        midsummer_eve: "Midsommarafton",
        midsummer_eve + day: "Midsommardagen",
        all_saints: "Alla helgons dag",
        dt.date(year, 12, 24): "Julafton",
        dt.date(year, 12, 25): "Juldagen",
        dt.date(year, 12, 26): "Annandag jul",
        dt.date(year, 12, 31): "Nyårsafton",
    }


def holiday_name(day: dt.date) -> str | None:
    return swedish_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a holiday (or midsommar-, jul- or nyårsafton)."""
    return day.weekday() < 5 and day not in swedish_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def posting_deadline(verified_on: dt.date) -> dt.date:
    """The last day to post the anslag: the second day after justering (KL 8 kap. 12 §)."""
    return verified_on + dt.timedelta(days=POSTING_DAYS_AFTER_VERIFICATION)


def earliest_take_down(posted_on: dt.date) -> dt.date:
    """The first day the anslag may come down: at least three weeks, and never before the appeal time has run out
    (KL 8 kap. 12 §), which a weekend or holiday can lengthen. The anslag is shown through its take-down day."""
    return max(posted_on + MIN_POSTING_PERIOD, appeal_last_day(posted_on))


def appeal_last_day(posted_on: dt.date) -> dt.date:
    """The last day an överklagande may come in: three weeks after posting, moved past weekends and holidays."""
    return next_working_day(posted_on + APPEAL_PERIOD)


def final_on(posted_on: dt.date, appealed: bool) -> dt.date | None:
    """The day the beslut vinner laga kraft: the day after the appeal period, or None when it was appealed."""
    if appealed:
        return None
    return appeal_last_day(posted_on) + dt.timedelta(days=1)
