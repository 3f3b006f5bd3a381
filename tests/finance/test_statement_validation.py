"""Each validation rule catches its error and passes on consistent data; the computed totals equal their sums."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from finance import statement_validation as v
from finance.models import StatementLine
from finance.statement_selectors import (
    _Evaluator,
    _Year,
    account_in_ranges,
    parse_ranges,
    parse_refs,
)
from finance.statement_templates import FEDERATION

D = Decimal
R = StatementLine.Role


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


def column(values: dict[str, Decimal | None], *, typed=(), computed=None, notes=(), contributions=None) -> v.Column:
    roles = {
        R.ASSETS_TOTAL: "br_tillgangar",
        R.EQUITY_LIABILITIES_TOTAL: "br_ek_och_skulder",
        R.EQUITY_OPENING: "br_ek_ingang",
        R.EQUITY_RESULT: "br_ek_resultat",
        R.EQUITY_TOTAL: "br_eget_kapital",
        R.RESULT: "rr_resultat",
        R.CASH: "br_kassa",
        R.CASH_FLOW_END: "kf_utgang",
        R.CONTRIBUTIONS: "rr_intakter",
    }
    computed = computed or {}
    rows = {
        key: v.ColumnRow(key=key, label=key, value=value, computed=computed.get(key, value), typed=key in typed)
        for key, value in values.items()
    }
    return v.Column(year="2019", rows=rows, roles=roles, notes=tuple(notes), contributions=contributions)


CONSISTENT = {
    "br_tillgangar": D("3029616"),
    "br_ek_och_skulder": D("3029616"),
    "br_ek_ingang": D("1751017"),
    "br_ek_resultat": D("-85279"),
    "br_eget_kapital": D("1665738"),
    "rr_resultat": D("-85279"),
    "br_kassa": D("2007133"),
    "kf_utgang": D("2007133"),
    "rr_intakter": D("5814000"),
}


def test_consistent_figures_pass_every_rule():
    assert v.check_column(column(CONSISTENT, contributions=D("5814000"))) == []


def test_balance_sheet_must_balance():
    failures = v.check_balance(column({**CONSISTENT, "br_ek_och_skulder": D("3029614")}))
    assert [f.rule for f in failures] == ["balance"]
    assert plain(failures[0].message) == (
        "Balansräkningen 2019 balanserar inte: summa tillgångar 3 029 616 kr stämmer inte med summa eget kapital, "
        "avsättningar och skulder 3 029 614 kr (skillnad 2 kr)."
    )
    assert failures[0].numbers == {"tillgangar": D("3029616"), "eget_kapital_och_skulder": D("3029614")}


def test_opening_equity_plus_result_must_be_closing():
    figures = {**CONSISTENT, "br_ek_ingang": D("1751016")}
    failures = v.check_equity(column(figures))
    assert plain(failures[0].message) == (
        "2019: utgående eget kapital 1 665 738 kr stämmer inte med ingående 1 751 016 kr + årets resultat "
        "-85 279 kr = 1 665 737 kr."
    )
    assert failures[0].numbers["ingaende"] == D("1751016")


def test_result_in_balance_sheet_must_be_the_income_statements():
    failures = v.check_equity(column({**CONSISTENT, "br_ek_resultat": D("-85279"), "rr_resultat": D("-85280")}))
    assert [f.rule for f in failures] == ["equity"] and "resultaträkningens -85 280 kr" in plain(failures[0].message)


def test_cash_flow_must_end_at_kassa_och_bank():
    failures = v.check_cash_flow(column({**CONSISTENT, "kf_utgang": D("2308763")}))
    assert plain(failures[0].message) == (
        "Kassaflödesanalysen 2019 slutar på likvida medel 2 308 763 kr men kassa och bank i balansräkningen är "
        "2 007 133 kr (skillnad 301 630 kr)."
    )


def test_each_note_must_sum_to_its_line():
    good = v.ColumnNote(
        number=2, title="Fordringar", total=D("1022483"), line_label="Fordringar", line_value=D("1022483")
    )
    bad = v.ColumnNote(
        number=2,
        title="Fordringar",
        total=D("487168"),
        line_label="Fordringar",
        line_value=D("1022483"),
        statement_title="i balansräkningen",
    )
    assert v.check_notes(column(CONSISTENT, notes=[good])) == []
    failures = v.check_notes(column(CONSISTENT, notes=[bad]))
    assert plain(failures[0].message) == (
        "Not 2 (Fordringar) 2019 summerar till 487 168 kr men raden Fordringar i balansräkningen är 1 022 483 kr "
        "(skillnad -535 315 kr)."
    )


def test_medlemsbidrag_must_sum_to_the_intakter_they_explain():
    assert v.check_contributions(column(CONSISTENT, contributions=D("5814000"))) == []
    failures = v.check_contributions(column(CONSISTENT, contributions=D("5840200")))
    assert failures[0].rule == "contributions"
    assert plain(failures[0].message) == (
        "Medlemsbidragen 2019 summerar till 5 840 200 kr men rr_intakter som de förklarar är 5 814 000 kr "
        "(skillnad 26 200 kr)."
    )
    # No allocation for the year: nothing to compare.
    assert v.check_contributions(column(CONSISTENT, contributions=None)) == []


def test_a_typed_total_must_equal_its_lines():
    typed = column(CONSISTENT, typed={"br_tillgangar"}, computed={"br_tillgangar": D("3029615")})
    failures = v.check_totals(typed)
    assert plain(failures[0].message) == (
        "2019: br_tillgangar är inskrivet som 3 029 616 kr men raderna summerar till 3 029 615 kr (skillnad 1 kr)."
    )
    # A computed (not typed) total is never reported by this rule.
    assert v.check_totals(column(CONSISTENT, computed={"br_tillgangar": D("1")})) == []


def test_the_year_starts_where_the_previous_ended():
    previous = column({**CONSISTENT, "br_eget_kapital": D("1751017"), "br_kassa": D("2861194")})
    current = column({**CONSISTENT, "br_ek_ingang": D("1751016")})
    failures = v.check_continuity(current, previous, {"br_kassa": D("2861194")})
    assert [f.rule for f in failures] == ["equity_opening"]
    failures = v.check_continuity(current, previous, {"br_kassa": D("2861000")})
    assert [f.rule for f in failures] == ["equity_opening", "cash_flow_opening"]
    current_ok = column({**CONSISTENT, "br_ek_ingang": D("1751017")})
    assert v.check_continuity(current_ok, previous, {"br_kassa": D("2861194")}) == []


def test_missing_figures_are_not_failures():
    assert v.check_column(column(dict.fromkeys(CONSISTENT))) == []


# The computation over any ledger ---------------------------------------------------------------------------

CODES = ["1510", "1650", "1930", "2010", "2440", "3010", "3020", "3030", "3990", "4010", "4090", "5010", "5210", "8310"]
LINES = {row["key"]: StatementLine(pk=i, organisation_id=1, **row) for i, row in enumerate(FEDERATION, start=1)}
ACCOUNTS = {
    key: [code for code in CODES if account_in_ranges(code, parse_ranges(line.accounts))]
    for key, line in LINES.items()
    if line.accounts
}
amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def ledgers(draw):
    """Ingående balans and movements that each sum to zero, as an imported ledger does."""
    balance_codes = [c for c in CODES if c[0] in "12"]
    opening = {c: draw(amounts) for c in balance_codes[:-1]}
    opening[balance_codes[-1]] = -sum(opening.values(), D(0))
    movement = {c: draw(amounts) for c in CODES[:-1]}
    movement[CODES[-1]] = -sum(movement.values(), D(0))
    return opening, movement


@settings(max_examples=60, deadline=None)
@given(ledgers())
def test_for_any_balanced_ledger_the_statements_agree_and_every_total_is_its_sum(ledger):
    opening, movement = ledger
    evaluator = _Evaluator(
        LINES, ACCOUNTS, _Year(fiscal_year=None, from_ledger=True, opening=opening, movement=movement)
    )
    value = evaluator.value
    # Every total is the signed sum of the lines it names.
    for key, line in LINES.items():
        if line.source == StatementLine.Source.TOTAL:
            parts = [f * value(ref) for f, ref in parse_refs(line.refs) if value(ref) is not None]
            assert value(key) == sum(parts, D(0)), key
        assert value(key) is None or isinstance(value(key), Decimal)
    assert value("rr_resultat") == -sum((movement[c] for c in CODES if c[0] in "345678"), D(0))
    assert value("br_tillgangar") == value("br_ek_och_skulder")
    assert value("br_eget_kapital") == value("br_ek_ingang") + value("br_ek_ovrigt") + value("br_ek_resultat")
    assert value("kf_utgang") == value("br_kassa")
    assert value("kf_ingang") == opening["1930"]
    for number, explains in ((1, "rr_intakter"), (2, "br_fordringar"), (3, "br_kortfristiga")):
        rows = [k for k, line in LINES.items() if line.statement == "note" and line.note_number == number]
        assert sum((value(k) for k in rows), D(0)) == value(explains), number


def test_ranges_take_accounts_by_their_leading_digits():
    ranges = parse_ranges("3000-3899, 3990")
    assert [c for c in ("3010", "35190", "3899", "3900", "3990", "399", "4010") if account_in_ranges(c, ranges)] == [
        "3010",
        "35190",
        "3899",
        "3990",
        "399",
    ]
    for bad in ("30x0", "3000-399", "3899-3000"):
        try:
            parse_ranges(bad)
        except ValueError as exc:
            assert str(exc)
        else:  # pragma: no cover
            raise AssertionError(bad)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(k for k, line in LINES.items() if line.accounts)), amounts, max_size=20))
def test_in_a_typed_year_every_total_left_empty_is_the_sum_of_what_was_typed(typed_by_key):
    typed = {LINES[key].pk: amount for key, amount in typed_by_key.items()}
    evaluator = _Evaluator(LINES, ACCOUNTS, _Year(fiscal_year=None, from_ledger=False, typed=typed))
    for key, line in LINES.items():
        value = evaluator.value(key)
        if line.accounts:
            assert value == typed_by_key.get(key), key
        elif line.source == StatementLine.Source.TOTAL:
            parts = [f * p for f, ref in parse_refs(line.refs) if (p := evaluator.value(ref)) is not None]
            assert value == (sum(parts, D(0)) if parts else None), key
