"""The SIE parser (finance.sie): pure, no database. Fixtures in tests/finance/fixtures (make_fixtures.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance import sie

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = '#FLAGGA 0\n#SIETYP 4\n#RAR 0 20190101 20191231\n#KONTO 1930 "Bank"\n#KONTO 3010 "Intäkt"\n'


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_text(text: str, encoding: str = "utf-8") -> sie.SieFile:
    return sie.parse(text.encode(encoding))


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("ledger_cp437.se", "cp437"), ("ledger_latin1.se", "latin-1"), ("ledger_utf8.se", "utf-8")],
)
def test_the_same_ledger_reads_the_same_in_every_encoding(name, encoding):
    parsed = sie.parse(fixture(name))
    assert parsed.encoding == encoding
    assert parsed.errors == []
    assert parsed.company_name == "Samordningsförbundet Skellefteå-Norsjö"
    assert parsed.org_number == "222000-2642"
    assert parsed.sie_type == "4"
    assert parsed.current_year.start == dt.date(2019, 1, 1)
    assert parsed.accounts["5010"].name == "Löner kansli"
    assert parsed.accounts["1930"].type == "T"
    assert parsed.objects[(6, "AMT")].name == "Arbetsmarknadstorget"
    assert [v.label for v in parsed.vouchers] == ["A 1", "A 2", "A 3", "A 4", "A 5"]
    # Escaped quotes and Swedish letters survive.
    assert parsed.vouchers[4].text == 'Kontorsmaterial "Säljö" åäö ÅÄÖ'
    # #RTRANS and the #TRANS copy that follows it are one booking; #BTRANS is kept but not counted.
    fourth = parsed.vouchers[3]
    assert [t.kind for t in fourth.transactions] == ["TRANS", "BTRANS", "RTRANS"]
    assert fourth.total == 0
    assert parsed.transaction_count == 10
    assert parsed.vouchers[2].transactions[0].objects == ((1, "20"), (6, "AMT"))
    assert parsed.balances("UB")["1930"] == Decimal("3984959.50")
    assert parsed.period_balances[1].objects == ((1, "10"),)


def test_the_three_fixtures_differ_only_in_their_bytes():
    texts = {
        sie.decode(fixture(n))[0].replace("–", "-") for n in ("ledger_cp437.se", "ledger_latin1.se", "ledger_utf8.se")
    }
    assert len(texts) == 1
    assert fixture("ledger_cp437.se") != fixture("ledger_latin1.se")


def test_an_unbalanced_verifikation_is_an_error_with_its_line():
    parsed = sie.parse(fixture("ledger_unbalanced.se"))
    messages = [str(e) for e in parsed.errors]
    assert any(m.startswith("Rad 48, #VER: verifikation A 2 balanserar inte") and "500,00 kr" in m for m in messages)
    assert not parsed.is_valid


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Kontorsmaterial åäö".encode("cp437"), "cp437"),
        ("Kontorsmaterial åäö".encode("latin-1"), "latin-1"),
        ("Kontorsmaterial åäö".encode(), "utf-8"),
        (b"\xef\xbb\xbf#FLAGGA 0", "utf-8"),
        (b"#FLAGGA 0\n#KONTO 1930 Bank", "ascii"),
        ("ÅÄÖ Östersund".encode("cp437"), "cp437"),
        ("ÅÄÖ Östersund".encode("latin-1"), "latin-1"),
    ],
)
def test_encoding_is_detected_from_the_bytes(data, expected):
    assert sie.detect_encoding(data) == expected


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz åäöÅÄÖ", min_size=1, max_size=60).filter(
        lambda t: any(c in "åäöÅÄÖ" for c in t)
    )
)
def test_swedish_text_is_read_back_in_any_encoding(text):
    for encoding in ("cp437", "latin-1", "utf-8"):
        data = f'#FNAMN "{text}"\n'.encode(encoding)
        parsed = sie.parse(data)
        assert parsed.encoding == encoding
        assert parsed.company_name == text


@given(
    st.lists(
        st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2, allow_nan=False),
        min_size=1,
        max_size=8,
    )
)
def test_a_verifikation_balances_exactly_when_its_rows_sum_to_zero(amounts):
    rows = "".join(f"#TRANS 3010 {{}} {a:.2f}\n" for a in amounts)
    total = sum(amounts, Decimal(0))
    balance = f"#TRANS 1930 {{}} {-total:.2f}\n"
    balanced = parse_text(HEADER + f'#VER A 1 20190105 "Test"\n{{\n{rows}{balance}}}\n')
    assert balanced.errors == []
    assert balanced.vouchers[0].total == 0
    if total != 0:
        unbalanced = parse_text(HEADER + f'#VER A 1 20190105 "Test"\n{{\n{rows}}}\n')
        assert [e.field for e in unbalanced.errors] == ["#VER"]


def test_tokenizer_reads_quotes_escapes_and_object_lists():
    tokens = sie.tokenize('#TRANS 4010 {1 "20" 6 "A B"} -12.50 20190105 "Sa \\"hej\\"" 2')
    assert [t.value for t in tokens] == [
        "#TRANS",
        "4010",
        ["1", "20", "6", "A B"],
        "-12.50",
        "20190105",
        'Sa "hej"',
        "2",
    ]
    assert sie.tokenize("#TRANS 1930 {} 1.00")[2].value == []


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ("#TRANS 1930 {} 12,50", "#TRANS belopp", "punkt som decimaltecken"),
        ("#TRANS 1930 {} abc", "#TRANS belopp", "”abc” är inget belopp"),
        ("#TRANS 19x0 {} 1.00", "#TRANS kontonummer", "inget kontonummer"),
        ("#TRANS 1930 1.00", "#TRANS objektlista", "objektlista"),
        ("#TRANS 1930 {1} 1.00", "#TRANS objektlista", "par"),
        ("#TRANS 1930 {} 1.00 20191301", "#TRANS transaktionsdatum", "inget giltigt datum"),
    ],
)
def test_field_errors_name_line_field_and_what_is_wrong(line, field, fragment):
    parsed = parse_text(HEADER + f'#VER A 1 20190105 "Test"\n{{\n{line}\n#TRANS 3010 {{}} -1.00\n}}\n')
    located = [e for e in parsed.errors if e.line == 8]
    assert located, parsed.errors
    assert located[0].field == field
    assert fragment in located[0].message


def test_every_error_is_collected_not_only_the_first():
    text = HEADER + "#IB 0 1930 1,00\n#UB 0 1930 x\n#KTYP 1930 Q\n#SIETYP 9\n"
    parsed = parse_text(text)
    assert [e.line for e in parsed.errors] == [6, 7, 8, 9]


def test_dates_outside_the_fiscal_year_are_errors():
    parsed = parse_text(
        HEADER + '#VER A 1 20200105 "Fel år"\n{\n#TRANS 1930 {} 1.00 20181231\n#TRANS 3010 {} -1.00\n}\n'
    )
    fields = [e.field for e in parsed.errors]
    assert "#VER verifikationsdatum" in fields
    assert "#TRANS transaktionsdatum" in fields


def test_opening_balance_must_equal_previous_closing_balance_in_the_file():
    text = HEADER + "#RAR -1 20180101 20181231\n#UB -1 1930 100.00\n#IB 0 1930 90.00\n"
    parsed = parse_text(text)
    assert len(parsed.errors) == 1
    assert parsed.errors[0].field == "#IB saldo"
    assert "föregående års utgående balans" in parsed.errors[0].message


def test_closing_balance_and_result_must_match_the_transactions():
    text = HEADER + (
        "#IB 0 1930 100.00\n#UB 0 1930 150.00\n#RES 0 3010 -40.00\n"
        '#VER A 1 20190105 "Intäkt"\n{\n#TRANS 1930 {} 50.00\n#TRANS 3010 {} -50.00\n}\n'
    )
    parsed = parse_text(text)
    assert [e.field for e in parsed.errors] == ["#RES saldo"]


def test_unclosed_blocks_and_stray_braces_are_errors():
    parsed = parse_text(HEADER + '#VER A 1 20190105 "Öppen"\n{\n#TRANS 1930 {} 1.00\n#TRANS 3010 {} -1.00\n')
    assert any("stängs aldrig" in e.message for e in parsed.errors)
    parsed = parse_text(HEADER + "}\n")
    assert parsed.errors[0].line == 6


def test_duplicate_verifikation_numbers_are_errors():
    voucher = '#VER A 1 20190105 "X"\n{\n#TRANS 1930 {} 1.00\n#TRANS 3010 {} -1.00\n}\n'
    parsed = parse_text(HEADER + voucher + voucher)
    assert [e.field for e in parsed.errors] == ["#VER verifikationsnummer"]


def test_unknown_labels_are_warnings_and_sietyp_4i_is_read():
    parsed = parse_text("#SIETYP 4I\n#RAR 0 20190101 20191231\n#NYETIKETT 1 2\n")
    assert parsed.sie_type == "4I"
    assert parsed.errors == []
    assert "okänd etikett #NYETIKETT" in parsed.warnings[0].message


def test_ksumma_is_checked_when_present():
    body = '#FLAGGA 0\n#SIETYP 4\n#KONTO 1930 "Bank"\n'
    parts = ["#FLAGGA", "0", "#SIETYP", "4", "#KONTO", "1930", "Bank"]
    good = sie.checksum(parts, "ascii")
    parsed = parse_text(f"#KSUMMA\n{body}#KSUMMA {good}\n")
    assert parsed.checksum_ok is True and parsed.warnings == []
    parsed = parse_text(f"#KSUMMA\n{body}#KSUMMA {good + 1}\n")
    assert parsed.checksum_ok is False
    assert "kontrollsumman stämmer inte" in parsed.warnings[0].message


@pytest.mark.parametrize(
    ("number", "ktyp", "kind"),
    [
        ("1930", "", "asset"),
        ("2081", "", "equity"),
        ("2440", "", "liability"),
        ("3010", "", "income"),
        ("5010", "", "expense"),
        ("8310", "I", "income"),
        ("2440", "S", "liability"),
        ("20110", "S", "equity"),
    ],
)
def test_account_kind_from_ktyp_or_class(number, ktyp, kind):
    account = sie.SieAccount(number, "", 1, ktyp)
    assert sie.account_kind(account, number) == kind
