"""The year-end statements: the demo's 2019 equals seed 003 where the seed agrees with itself, typed-in years, the
seed's inconsistent figures flagged with their numbers, the mapping and figures pages, roles and query counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.demo import FEDERATION
from core.models import Organisation, Role
from finance import demo, demo_statements, statement_services
from finance.models import AnnualReport, FiscalYear, StatementFigure, StatementLine
from finance.statement_selectors import statements_for_year
from finance.statement_validation import validate_year
from tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory

from .factories import FiscalYearFactory

pytestmark = pytest.mark.django_db
D = Decimal


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.fixture
def seeded():
    federation = OrganisationFactory(name=FEDERATION, kind=Organisation.Kind.FEDERATION, org_number="222000-2642")
    economist = UserFactory(username="ekonom")
    RoleAssignmentFactory(user=economist, organisation=federation, role=Role.ECONOMIST)
    demo.seed_finance(stdout=StringIO())
    # The demo fastställer its årsredovisning 2019, which locks the year and the mapping; these tests change both.
    AnnualReport.objects.filter(organisation=federation).delete()
    year = FiscalYear.objects.get(organisation=federation, start=dt.date(2019, 1, 1))
    return federation, economist, year


def figures(statement, attr="current"):
    return {row.key: getattr(row, attr) for row in statement.rows if not row.is_heading}


# Seed 003, 2019 and 2018 where it agrees with itself (docs/anvandarguide/ekonom.md lists where it does not).
SEED_2019 = {
    "rr_intakter": D("5814000"),
    "rr_ovriga_intakter": D("26200"),
    "rr_kostnader": D("-5925479"),
    "rr_nettokostnad": D("-85279"),
    "rr_resultat": D("-85279"),
    "br_fordringar": D("1022483"),
    "br_kassa": D("2007133"),
    "br_omsattning": D("3029616"),
    "br_tillgangar": D("3029616"),
    "br_ek_ingang": D("1751017"),  # the seed prints 1 751 016; its 2018 closing is 1 751 017
    "br_ek_resultat": D("-85279"),
    "br_eget_kapital": D("1665738"),  # the seed's text and driftsredovisning; its balansräkning 1 665 737
    "br_kortfristiga": D("1363878"),  # the seed prints 1 363 877, which does not balance
    "br_ek_och_skulder": D("3029616"),
    "kf_resultat": D("-85279"),
    "kf_fore_rorelsekapital": D("-85279"),
    "kf_fordringar": D("-150815"),  # the seed prints +150 815: fordringar rose, which takes cash
    "kf_skulder": D("-617967"),
    "kf_lopande": D("-854061"),
    "kf_arets": D("-854061"),
    "kf_ingang": D("2861194"),
    "kf_utgang": D("2007133"),  # the seed ends at 2 308 763, not at its kassa och bank
}
SEED_2018 = {
    "rr_intakter": D("6158768"),
    "rr_ovriga_intakter": D("60000"),
    "rr_kostnader": D("-5758752"),
    "rr_resultat": D("460016"),
    "br_fordringar": D("871668"),
    "br_kassa": D("2861194"),
    "br_tillgangar": D("3732862"),
    "br_eget_kapital": D("1751017"),
    "br_kortfristiga": D("1981845"),
    "br_ek_och_skulder": D("3732862"),
    "kf_fordringar": D("1055781"),
    "kf_skulder": D("-283797"),
    "kf_lopande": D("1232000"),
    "kf_ingang": D("1629194"),
    "kf_utgang": D("2861194"),
}


def test_the_demos_2019_statements_equal_seed_003(seeded):
    federation, _economist, year = seeded
    s = statements_for_year(organisation=federation, fiscal_year=year)
    assert s.from_ledger and not s.previous_from_ledger and s.previous_year.label == "2018"
    current = {**figures(s.income), **figures(s.balance), **figures(s.cash_flow)}
    previous = {**figures(s.income, "previous"), **figures(s.balance, "previous"), **figures(s.cash_flow, "previous")}
    assert {k: current[k] for k in SEED_2019} == SEED_2019
    assert {k: previous[k] for k in SEED_2018} == SEED_2018
    # Driftsredovisning: utfall, aktuell budget, avvikelse, bokslut 2018.
    operating = {r.key: (r.current, r.budget, r.deviation, r.previous) for r in s.operating.rows}
    assert operating["dr_nettokostnad"] == (D("-5925479"), D("-6635840"), D("710361"), D("-5758752"))
    assert operating["dr_intakter"] == (D("5840200"), D("5874000"), D("-33800"), D("6218768"))
    assert operating["dr_resultat"] == (D("-85279"), D("-761840"), D("676561"), D("460016"))
    assert operating["dr_eget_kapital"] == (D("1665738"), None, None, D("1751017"))
    assert operating["dr_likvida"] == (D("2007133"), None, None, D("2861194"))
    # Sammanställning av budget och utfall.
    budget = {r.key: (r.budget, r.current, r.deviation) for r in s.budget.rows}
    assert budget["bu_projekt"] == (D("4757840"), D("4120988"), D("636852"))
    assert budget["bu_konferens"] == (D("250000"), D("210112"), D("39888"))
    assert budget["bu_ovriga"] == (D("227000"), D("325796"), D("-98796"))
    assert budget["bu_arvoden"] == (D("270000"), D("249438"), D("20562"))
    assert budget["bu_styrelse"] == (D("0"), D("81743"), D("-81743"))  # the seed prints +81 743
    assert budget["bu_kansli"] == (D("1131000"), D("937402"), D("193598"))
    assert budget["bu_totalt"][:2] == (D("6635840"), D("5925479"))
    assert budget["bu_medlemsavgifter"][:2] == (D("5814000"), D("5814000"))
    assert budget["bu_ovriga_intakter"][:2] == (D("60000"), D("26200"))
    assert budget["bu_resultat"][:2] == (D("-761840"), D("-85279"))
    # Noter: each sums to its line.
    notes = {n.number: n for n in s.notes}
    assert [(r.key, r.current) for r in notes[1].rows] == [
        ("n1_staten", D("2907000")),
        ("n1_kommuner", D("1453000")),  # Skellefteå 1 383 000 + Norsjö 70 000 on one account
        ("n1_region", D("1454000")),
        ("n1_ovriga", D("0")),
    ]
    assert (notes[1].current_total, notes[1].previous_total) == (D("5814000"), D("6158768"))
    assert (notes[2].current_total, notes[2].previous_total) == (D("1022483"), D("871668"))
    assert notes[2].rows[0].current == D("726750")  # 345 750 + 17 500 + 363 500, as the seed's rows
    assert (notes[3].current_total, notes[3].previous_total) == (D("1363878"), D("1981845"))
    assert s.contributions == D("5814000")
    assert s.unmapped == ()
    # Decimal from the ledger to the page.
    for statement in s.statements:
        for row in statement.rows:
            for value in (row.current, row.previous, row.budget, row.deviation):
                assert value is None or type(value) is Decimal, row.key
    assert validate_year(organisation=federation, fiscal_year=year) == []


def test_the_demo_is_idempotent(seeded):
    lines, typed = StatementLine.objects.count(), StatementFigure.objects.count()
    demo.seed_finance(stdout=StringIO())
    assert (StatementLine.objects.count(), StatementFigure.objects.count()) == (lines, typed)
    assert typed == len(demo_statements.FIGURES_2018)
    from finance.equity_selectors import equity_rows

    rows = {row.fiscal_year.label: row for row in equity_rows(organisation=FiscalYear.objects.first().organisation)}
    assert (rows["2018"].closing, rows["2019"].opening, rows["2019"].closing) == (
        D("1751017"),
        D("1751017"),
        D("1665738"),
    )


SEED_2019_AS_PRINTED = {
    "rr_intakter": D("5814000"),
    "rr_ovriga_intakter": D("26200"),
    "rr_kostnader": D("-5925479"),
    "rr_nettokostnad": D("-85279"),
    "rr_resultat": D("-85279"),
    "br_fordringar": D("1022483"),
    "br_kassa": D("2007133"),
    "br_omsattning": D("3029616"),
    "br_tillgangar": D("3029616"),
    "br_ek_ingang": D("1751016"),
    "br_ek_resultat": D("-85279"),
    "br_eget_kapital": D("1665738"),
    "br_kortfristiga": D("1363877"),
    "br_skulder": D("1363877"),
    "br_ek_och_skulder": D("3029614"),
    "kf_resultat": D("-85279"),
    "kf_fore_rorelsekapital": D("-85279"),
    "kf_fordringar": D("150815"),
    "kf_skulder": D("-617967"),
    "kf_lopande": D("-552431"),
    "kf_arets": D("-552431"),
    "kf_ingang": D("2861194"),
    "kf_utgang": D("2308763"),
    "n1_staten": D("2907000"),
    "n1_kommuner": D("1453000"),
    "n1_region": D("1454000"),
    "n1_ovriga": D("26200"),
    "n2_medlemmar": D("726750"),
    "n2_moms": D("279144"),
    "n2_ovriga": D("5340"),
}


def test_typing_in_seed_003s_inconsistent_figures_is_flagged_with_the_numbers(seeded):
    _federation, economist, _year = seeded
    other = OrganisationFactory(name="Samordningsförbundet Typat")
    statement_services.mapping_apply_template(organisation=other, actor=economist)
    year_2018 = FiscalYearFactory(organisation=other, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31))
    year = FiscalYearFactory(organisation=other, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    statement_services.figures_save_by_key(
        organisation=other, actor=economist, fiscal_year=year_2018, values=demo_statements.FIGURES_2018
    )
    statement_services.figures_save_by_key(
        organisation=other, actor=economist, fiscal_year=year, values=SEED_2019_AS_PRINTED
    )
    messages = [plain(f.message) for f in validate_year(organisation=other, fiscal_year=year)]
    assert messages == [
        "Balansräkningen 2019 balanserar inte: summa tillgångar 3 029 616 kr stämmer inte med summa eget kapital, "
        "avsättningar och skulder 3 029 614 kr (skillnad 2 kr).",
        "2019: utgående eget kapital 1 665 738 kr stämmer inte med ingående 1 751 016 kr + årets resultat -85 279 kr "
        "= 1 665 737 kr.",
        "Kassaflödesanalysen 2019 slutar på likvida medel 2 308 763 kr men kassa och bank i balansräkningen är "
        "2 007 133 kr (skillnad 301 630 kr).",
        "Not 1 (Verksamhetens intäkter) 2019 summerar till 5 840 200 kr men raden Verksamhetens intäkter i "
        "resultaträkningen är 5 814 000 kr (skillnad 26 200 kr).",
        "Not 2 (Fordringar) 2019 summerar till 1 011 234 kr men raden Fordringar i balansräkningen är 1 022 483 kr "
        "(skillnad -11 249 kr).",
        "2019: Summa eget kapital, avsättningar och skulder är inskrivet som 3 029 614 kr men raderna summerar till "
        "3 029 615 kr (skillnad -1 kr).",
        "2019: Ökning/minskning av kortfristiga fordringar är inskrivet som 150 815 kr men förändringen i "
        "balansräkningarna från föregående år är -150 815 kr (skillnad 301 630 kr).",
        "2019: Ökning/minskning av kortfristiga skulder är inskrivet som -617 967 kr men förändringen i "
        "balansräkningarna från föregående år är -617 968 kr (skillnad 1 kr).",
        "Eget kapital vid årets ingång 2019 1 751 016 kr stämmer inte med utgående eget kapital 2018 1 751 017 kr "
        "(skillnad -1 kr).",
    ]
    # Seed 003's own 2018: 1 291 000 + 460 016 is 1 751 016, not the printed 1 751 017.
    statement_services.figures_save_by_key(
        organisation=other, actor=economist, fiscal_year=year_2018, values={"br_ek_ingang": D("1291000")}
    )
    messages = [plain(f.message) for f in validate_year(organisation=other, fiscal_year=year)]
    assert (
        "2018: utgående eget kapital 1 751 017 kr stämmer inte med ingående 1 291 000 kr + årets resultat 460 016 kr "
        "= 1 751 016 kr." in messages
    )


def test_typed_years_compute_the_totals_left_empty(seeded):
    _federation, economist, _year = seeded
    other = OrganisationFactory(name="Samordningsförbundet Summor")
    statement_services.mapping_apply_template(organisation=other, actor=economist)
    year = FiscalYearFactory(organisation=other, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31))
    statement_services.figures_save_by_key(
        organisation=other,
        actor=economist,
        fiscal_year=year,
        values={
            "br_fordringar": D("871668"),
            "br_kassa": D("2861194"),
            "rr_intakter": D("100"),
            "rr_kostnader": D("-40"),
        },
    )
    s = statements_for_year(organisation=other, fiscal_year=year)
    assert s.balance.row("br_tillgangar").current == D("3732862")
    assert s.income.row("rr_resultat").current == D("60")
    assert s.balance.row("br_kortfristiga").current is None
    # Clearing a figure removes it.
    statement_services.figures_save_by_key(
        organisation=other, actor=economist, fiscal_year=year, values={"rr_intakter": None}
    )
    assert statements_for_year(organisation=other, fiscal_year=year).income.row("rr_resultat").current == D("-40")


def test_figures_cannot_be_typed_for_a_ledger_year_nor_a_locked_one(seeded):
    federation, economist, year = seeded
    with pytest.raises(ValidationError, match="importerad bokföring"):
        statement_services.figures_save_by_key(
            organisation=federation, actor=economist, fiscal_year=year, values={"br_kassa": D("1")}
        )
    year_2018 = FiscalYear.objects.get(organisation=federation, start=dt.date(2018, 1, 1))
    statement_services.YEAR_LOCKS.append(lambda y: "Årsredovisningen är fastställd." if y.start.year == 2018 else None)
    try:
        with pytest.raises(ValidationError, match="fastställd"):
            statement_services.figures_save_by_key(
                organisation=federation, actor=economist, fiscal_year=year_2018, values={"br_kassa": D("1")}
            )
    finally:
        statement_services.YEAR_LOCKS.pop()


def test_mapping_lines_are_checked(seeded):
    federation, economist, _year = seeded
    base = {"statement": "income", "label": "Ny", "position": 1, "sign": -1}
    cases = [
        ({"key": "x1", "source": "movement", "accounts": "30x0"}, "accounts", "inget kontonummer"),
        ({"key": "x2", "source": "movement", "accounts": ""}, "accounts", "Ange vilka konton"),
        ({"key": "rr_intakter", "source": "movement", "accounts": "3000"}, "key", "används redan"),
        ({"key": "x3", "source": "total", "refs": "rr_intakter nope"}, "refs", "”nope”"),
        ({"key": "x4", "source": "total", "refs": "x4"}, "refs", "sig själv"),
    ]
    for values, field, text in cases:
        with pytest.raises(ValidationError) as exc:
            statement_services.line_save(organisation=federation, actor=economist, **base, **values)
        assert text in " ".join(exc.value.message_dict[field]), values
    # A circle: rr_resultat would sum a line that sums rr_resultat.
    line = StatementLine.objects.get(organisation=federation, key="rr_ovriga_intakter")
    with pytest.raises(ValidationError, match="cirkel"):
        statement_services.line_save(
            organisation=federation, actor=economist, line=line, source="total", refs="br_eget_kapital"
        )
    with pytest.raises(ValidationError, match="används av"):
        statement_services.line_delete(organisation=federation, actor=economist, line=line)


def test_a_changed_mapping_changes_the_statements_and_an_unmapped_account_is_flagged(seeded):
    federation, economist, year = seeded
    line = StatementLine.objects.get(organisation=federation, key="br_kassa")
    statement_services.line_save(organisation=federation, actor=economist, line=line, accounts="1910-1919")
    failures = validate_year(organisation=federation, fiscal_year=year)
    assert any(f.rule == "unmapped" and "Konto 1930 Bank har 2 007 133 kr" in plain(f.message) for f in failures)
    assert any(f.rule == "balance" for f in failures)


# Pages -------------------------------------------------------------------------------------------------------


def test_ekonom_sees_the_statements_and_types_a_wrong_2018_closing(seeded, client_for):
    federation, _economist, year = seeded
    client = client_for(federation, Role.ECONOMIST)
    page = client.get(reverse("finance:statement_detail", args=[year.pk]))
    text = plain(page.content.decode())
    assert page.status_code == 200 and "Alla kontroller stämmer" in text
    for label in ("Driftsredovisning", "Resultaträkning", "Balansräkning", "Kassaflödesanalys", "Not 2. Fordringar"):
        assert label in text
    assert "1 665 738" in text and "2 007 133" in text and "-150 815" in text
    # Drill-down: each account on a line links to its transactions in the year.
    from finance.models import Account

    bank = Account.objects.get(organisation=federation, code="1930")
    assert f"{reverse('finance:account_ledger', args=[bank.pk])}?ar={year.pk}" in page.content.decode()
    assert "1930 Bank</a>: 2 007 133" in text
    year_2018 = FiscalYear.objects.get(organisation=federation, start=dt.date(2018, 1, 1))
    form_url = reverse("finance:statement_figures", args=[year_2018.pk])
    assert form_url in page.content.decode()
    form = client.get(form_url)
    line = StatementLine.objects.get(organisation=federation, key="br_eget_kapital")
    assert form.status_code == 200 and f'name="line_{line.pk}"' in form.content.decode()
    data = {f"line_{f.line_id}": str(f.amount) for f in StatementFigure.objects.filter(fiscal_year=year_2018)}
    data[f"line_{line.pk}"] = "1 751 000"
    response = client.post(form_url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("finance:statement_detail", args=[year.pk])
    text = plain(response.content.decode())
    assert (
        "2018: utgående eget kapital 1 751 000 kr stämmer inte med ingående 1 291 001 kr + årets resultat "
        "460 016 kr = 1 751 017 kr." in text
    )
    assert (
        "Eget kapital vid årets ingång 2019 1 751 017 kr stämmer inte med utgående eget kapital 2018 1 751 000 kr"
        in text
    )
    # A bad number keeps what was typed and says which field.
    data[f"line_{line.pk}"] = "tusen"
    response = client.post(form_url, data)
    assert response.status_code == 200 and 'value="tusen"' in response.content.decode()
    assert "Summa eget kapital" in plain(response.content.decode())
    assert StatementFigure.objects.get(fiscal_year=year_2018, line=line).amount == D("1751000")


def test_ekonom_edits_the_mapping(seeded, client_for):
    federation, _economist, _year = seeded
    client = client_for(federation, Role.ECONOMIST)
    page = client.get(reverse("finance:statement_mapping"))
    assert page.status_code == 200 and "rr_intakter" in page.content.decode()
    line = StatementLine.objects.get(organisation=federation, key="n1_ovriga")
    url = reverse("finance:statement_line_edit", args=[line.pk])
    assert client.get(url).status_code == 200
    data = {
        "statement": "note",
        "label": "Övriga intäkter i not 1",
        "key": "n1_ovriga",
        "position": "100",
        "source": "movement",
        "accounts": "3000-3009, 3040-3899",
        "refs": "",
        "sign": "-1",
        "note_number": "1",
        "explains": "rr_intakter",
        "role": "",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200 and "Övriga intäkter i not 1" in response.content.decode()
    bad = client.post(url, {**data, "accounts": "3000-399"})
    assert bad.status_code == 200 and "lika många siffror" in bad.content.decode()
    assert 'value="3000-399"' in bad.content.decode()
    created = client.post(
        reverse("finance:statement_line_create"),
        {**data, "key": "n1_extra", "label": "Extra", "accounts": "3999"},
    )
    assert created.status_code == 302 and StatementLine.objects.filter(key="n1_extra").exists()
    extra = StatementLine.objects.get(key="n1_extra")
    assert client.post(reverse("finance:statement_line_delete", args=[extra.pk])).status_code == 302
    assert not StatementLine.objects.filter(key="n1_extra").exists()
    # Applying the template again adds nothing.
    response = client.post(reverse("finance:statement_mapping"), follow=True)
    assert "0 rader lades till" in response.content.decode()


def test_revisor_reads_and_changes_nothing(seeded, client_for):
    federation, _economist, year = seeded
    client = client_for(federation, Role.AUDITOR)
    page = client.get(reverse("finance:statement_detail", args=[year.pk]))
    assert page.status_code == 200 and "Skriv in siffror" not in page.content.decode()
    mapping = client.get(reverse("finance:statement_mapping"))
    assert mapping.status_code == 200 and "Lägg till rad" not in mapping.content.decode()
    line = StatementLine.objects.get(organisation=federation, key="br_kassa")
    year_2018 = FiscalYear.objects.get(organisation=federation, start=dt.date(2018, 1, 1))
    for method, url in (
        ("get", reverse("finance:statement_figures", args=[year_2018.pk])),
        ("post", reverse("finance:statement_figures", args=[year_2018.pk])),
        ("post", reverse("finance:statement_mapping")),
        ("get", reverse("finance:statement_line_edit", args=[line.pk])),
        ("post", reverse("finance:statement_line_edit", args=[line.pk])),
        ("post", reverse("finance:statement_line_delete", args=[line.pk])),
        ("post", reverse("finance:statement_line_create")),
    ):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert StatementLine.objects.get(pk=line.pk).accounts == "1900-1999"


def test_another_organisations_year_and_line_are_404(seeded, client_for):
    federation, _economist, year = seeded
    other = OrganisationFactory(name="Annat förbund")
    client = client_for(other, Role.ECONOMIST)
    line = StatementLine.objects.get(organisation=federation, key="br_kassa")
    for url in (
        reverse("finance:statement_detail", args=[year.pk]),
        reverse("finance:statement_figures", args=[year.pk]),
        reverse("finance:statement_line_edit", args=[line.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("finance:statement_line_delete", args=[line.pk])).status_code == 404


def test_statement_pages_keep_a_constant_number_of_queries(seeded, client_for, django_assert_max_num_queries):
    federation, economist, year = seeded
    client = client_for(federation, Role.ECONOMIST)
    year_2018 = FiscalYear.objects.get(organisation=federation, start=dt.date(2018, 1, 1))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("finance:statement_detail", args=[year.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("finance:statement_figures", args=[year_2018.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("finance:statement_mapping")).status_code == 200
    with django_assert_max_num_queries(15):
        index = client.get(reverse("finance:statement_index"))
    assert (
        "ur bokföringen" in index.content.decode()
        and f"{len(demo_statements.FIGURES_2018)} inskrivna belopp" in index.content.decode()
    )
    # More lines and more accounts do not add queries.
    for i in range(15):
        statement_services.line_save(
            organisation=federation,
            actor=economist,
            statement="note",
            key=f"n9_{i}",
            label=f"Rad {i}",
            position=i,
            source="closing",
            accounts="1930",
            refs="",
            sign=1,
            note_number=9,
            explains="br_kassa",
        )
    with django_assert_max_num_queries(30):
        assert client.get(reverse("finance:statement_detail", args=[year.pk])).status_code == 200


def test_a_year_without_mapping_or_previous_year_still_renders(client_for):
    other = OrganisationFactory(name="Ny nämnd")
    year = FiscalYearFactory(organisation=other, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    client = client_for(other, Role.ECONOMIST)
    page = client.get(reverse("finance:statement_detail", args=[year.pk]))
    assert page.status_code == 200 and "Det finns ingen uppställning av bokslutet ännu" in page.content.decode()
    assert [f.rule for f in validate_year(organisation=other, fiscal_year=year)] == ["mapping"]
    client.post(reverse("finance:statement_mapping"))
    page = client.get(reverse("finance:statement_detail", args=[year.pk]))
    assert page.status_code == 200 and "Alla kontroller stämmer" in page.content.decode()
    assert client.get(reverse("finance:statement_index")).status_code == 200


def test_the_next_years_sie_carries_the_result_into_eget_kapital_and_an_empty_year_has_nothing_to_finalise(seeded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from finance import import_services

    from .sie_2020 import sie_2020

    federation, economist, _year = seeded
    # An empty year fails with one message saying what is missing, not a pass on zeros.
    empty = FiscalYearFactory(organisation=federation, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    (failure,) = validate_year(organisation=federation, fiscal_year=empty)
    assert failure.rule == "empty" and "inget att fastställa" in failure.message

    def upload(data: bytes):
        return import_services.ledger_import_upload(
            organisation=federation, actor=economist, upload=SimpleUploadedFile("2020.se", data)
        )

    # A difference from 2019's closing balances outside eget kapital is refused, with the account named.
    good = sie_2020(federation.org_number)
    wrong = re.sub(rb"#IB 0 1930 (\d+)\.00", lambda m: b"#IB 0 1930 %d.00" % (int(m.group(1)) + 1), good)
    refused = upload(wrong)
    assert refused.status == refused.Status.FAILED
    assert any("konto 1930" in error["message"] for error in refused.errors)

    # 2020 opens with 2019's result (−85 279 kr) carried into eget kapital: imported, with a note, and valid.
    job = upload(good)
    assert job.status == job.Status.DONE, job.errors
    assert any("årets resultat 2019" in warning["message"] for warning in job.warnings)
    year_2020 = FiscalYear.objects.get(organisation=federation, start=dt.date(2020, 1, 1))
    assert validate_year(organisation=federation, fiscal_year=year_2020) == []


def test_the_statements_download_as_excel_with_the_pages_figures(seeded, client_for):
    """Every sheet holds the selectors' figures (so each total equals its parts as on the page); the revisor may
    download it; another organisation gets 404."""
    import io

    from openpyxl import load_workbook

    from finance.statement_excel import statements_workbook

    federation, _economist, year = seeded
    s = statements_for_year(organisation=federation, fiscal_year=year)
    book = load_workbook(io.BytesIO(statements_workbook(s)))
    assert book.sheetnames == [
        "Driftsredovisning",
        "Resultaträkning",
        "Balansräkning",
        "Kassaflödesanalys",
        "Noter",
        "Budget och utfall",
    ]
    balance = {row[0]: row[1:] for row in book["Balansräkning"].iter_rows(min_row=2, values_only=True)}
    for row in s.balance.rows:
        if not row.is_heading and not row.hidden:
            _note, current, previous = balance[row.label]
            assert (current, previous) == (row.current, row.previous), row.label
    assert balance["Summa eget kapital"][1:] == (D("1665738"), D("1751017"))
    assert tuple(book["Balansräkning"][1][i].value for i in range(4)) == ("Belopp i kr", "Not", "2019", "2018")
    notes = list(book["Noter"].iter_rows(min_row=2, values_only=True))
    sums = [row for row in notes if row[0] == "Summa"]
    assert [r[1] for r in sums] == [note.current_total for note in s.notes]

    client = client_for(federation, Role.AUDITOR)
    response = client.get(reverse("finance:statement_export", args=[year.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('bokslut-2019.xlsx"')
    assert "Exportera till Excel" in client.get(reverse("finance:statement_detail", args=[year.pk])).content.decode()
    stranger = client_for(OrganisationFactory(name="Annat förbund"), Role.ECONOMIST)
    assert stranger.get(reverse("finance:statement_export", args=[year.pk])).status_code == 404


def test_the_mapping_may_change_for_later_years_but_not_what_a_fastställd_year_shows(client_for):
    """The demo's årsredovisning 2019 is fastställd: a new line for accounts 2019 and 2018 never used is taken, a
    change of a line with money (its accounts or its text) is refused and undone, with the line named."""
    federation = OrganisationFactory(name=FEDERATION, kind=Organisation.Kind.FEDERATION, org_number="222000-2642")
    economist = UserFactory(username="ekonom")
    RoleAssignmentFactory(user=economist, organisation=federation, role=Role.ECONOMIST)
    demo.seed_finance(stdout=StringIO())
    assert AnnualReport.objects.get(organisation=federation).is_final
    kassa = StatementLine.objects.get(organisation=federation, key="br_kassa")
    before = (kassa.accounts, kassa.label)

    for change in ({"accounts": "1900-1929"}, {"label": "Likvida medel"}):
        with pytest.raises(ValidationError) as refused:
            statement_services.line_save(organisation=federation, actor=economist, line=kassa, **change)
        assert (
            "Ändringen görs inte: den skulle ändra ”Kassa och bank” (balansräkning) i bokslutet 2019"
            in (refused.value.messages[0])
        )
        kassa = StatementLine.objects.get(pk=kassa.pk)
        assert (kassa.accounts, kassa.label) == before
    with pytest.raises(ValidationError, match="bokslutet 2019"):
        statement_services.line_delete(
            organisation=federation,
            actor=economist,
            line=StatementLine.objects.get(organisation=federation, key="n1_staten"),
        )

    added = statement_services.line_save(
        organisation=federation,
        actor=economist,
        statement="income",
        key="rr_ny_2020",
        label="Nya intäkter från 2020",
        position=99,
        source="movement",
        accounts="3500-3599",
        refs="",
        sign=-1,
    )
    assert StatementLine.objects.filter(pk=added.pk).exists()
    assert statement_services.mapping_apply_template(organisation=federation, actor=economist) == 0
    statement_services.line_delete(organisation=federation, actor=economist, line=added)

    client = client_for(federation, Role.ECONOMIST)
    mapping = client.get(reverse("finance:statement_mapping")).content.decode()
    assert "Uppställningen kan ändras inför kommande år" in mapping
    assert reverse("finance:statement_line_edit", args=[kassa.pk]) in mapping
