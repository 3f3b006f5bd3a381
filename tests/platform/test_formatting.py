"""Swedish figures: 1 665 738 kr, 1 666 tkr, -14,0 mnkr, 2019-11-28 – as the seeds print them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from core import formatting

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1665738"), "1 665 738 kr"),
        (Decimal("-1665738.49"), "-1 665 738 kr"),
        (Decimal("0.4"), "0 kr"),
        (Decimal("-0.4"), "0 kr"),  # never "-0"
        (5814000, "5 814 000 kr"),
        ("2907000", "2 907 000 kr"),
        (None, ""),
        ("inte ett tal", ""),
    ],
)
def test_kronor(value, expected):
    assert formatting.format_kr(value) == expected.replace(" ", NBSP)


def test_kronor_with_decimals_uses_decimal_comma():
    assert formatting.format_kr(Decimal("1234.5"), 2) == f"1{NBSP}234,50{NBSP}kr"


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (formatting.format_tkr, Decimal("1665738"), "1 666 tkr"),
        (formatting.format_tkr, Decimal("-85279"), "-85 tkr"),
        (formatting.format_mnkr, Decimal("-14000000"), "-14,0 mnkr"),
        (formatting.format_mnkr, Decimal("5814000"), "5,8 mnkr"),
        (formatting.format_percent, Decimal("20"), "20,0 %"),
        (formatting.format_percent, Decimal("-3.25"), "-3,3 %"),
    ],
)
def test_units(function, value, expected):
    assert function(value) == expected.replace(" ", NBSP)


def test_float_never_brings_binary_noise():
    assert formatting.format_number(0.1 + 0.2, 2) == "0,30"
    assert formatting.to_decimal(1.1) == Decimal("1.1")


def test_dates_are_iso_and_local():
    assert formatting.format_date(dt.date(2019, 11, 28)) == "2019-11-28"
    utc = dt.datetime(2019, 11, 28, 23, 30, tzinfo=dt.UTC)
    assert formatting.format_date(utc) == "2019-11-29 00:30"  # Europe/Stockholm, UTC+1 in November


def test_template_filters_are_builtins():
    html = Template("{{ a|kr }}|{{ a|tkr }}|{{ b|mnkr }}|{{ d|sv_date }}|{{ p|sv_percent }}").render(
        Context({"a": Decimal("1665738"), "b": Decimal("-14000000"), "d": dt.date(2022, 6, 16), "p": 20})
    )
    assert html == "1 665 738 kr|1 666 tkr|-14,0 mnkr|2022-06-16|20,0 %".replace(" ", NBSP)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_number_reads_back_to_the_rounded_value(value):
    text = formatting.format_number(value, 2)
    assert Decimal(text.replace(NBSP, "").replace(",", ".")) == value.quantize(Decimal("0.01"))
    whole = text.lstrip("-").split(",")[0]
    assert all(len(group) == 3 for group in whole.split(NBSP)[1:])


def test_long_swedish_dates_and_the_one_time_format():
    from core.formatting import format_long_date, format_paragraph_range, format_time, format_time_span

    assert format_long_date(dt.date(2019, 11, 28)) == "torsdag den 28 november 2019"
    assert format_long_date(dt.date(2022, 6, 16)) == "torsdag den 16 juni 2022"
    assert format_long_date(dt.date(2024, 3, 3)) == "söndag den 3 mars 2024"
    assert format_long_date(None) == ""
    assert format_time(dt.time(9, 0)) == "09.00"
    assert format_time_span(dt.time(9, 0), dt.time(15, 0)) == "kl.\xa009.00–15.00"
    assert format_time_span(dt.time(8, 30)) == "kl.\xa008.30"
    assert format_time_span(None) == ""
    assert format_paragraph_range([81, 69, 70]) == "§§\xa069–81"
    assert format_paragraph_range([75]) == "§\xa075"
    assert format_paragraph_range([]) == ""
