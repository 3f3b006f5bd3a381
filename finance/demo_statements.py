"""Demo data for the year-end statements: the mapping from the template and seed 003's 2018 figures typed in, as an
ekonom would from the previous årsredovisning (the 2018 ledger is not in Paragraf). Through the services, idempotent.

Where seed 003's 2018 column disagrees with itself the figures typed here are the ones that agree with the rest
(docs/anvandarguide/ekonom.md, "Demodata: där årsredovisningen 2019 säger emot sig själv"):
eget kapital vid årets ingång 1 291 001 (printed 1 291 000, but 1 291 000 + 460 016 = 1 751 016, not the printed
and balancing 1 751 017), note 1 without the övriga intäkter (which have their own line), note 2 as the ledger's
ingående balans 2019 (the printed rows sum to 487 168, not 871 668), note 3 the leverantörsskulder.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.models import Organisation, User

from . import account_services, equity_services, statement_services
from .models import EquityYear, FiscalYear, StatementFigure

D = Decimal

FIGURES_2018 = {
    # Resultaträkning
    "rr_intakter": D("6158768"),
    "rr_ovriga_intakter": D("60000"),
    "rr_kostnader": D("-5758752"),
    "rr_nettokostnad": D("460016"),
    "rr_resultat": D("460016"),
    # Balansräkning
    "br_fordringar": D("871668"),
    "br_kassa": D("2861194"),
    "br_omsattning": D("3732862"),
    "br_tillgangar": D("3732862"),
    "br_ek_ingang": D("1291001"),
    "br_ek_resultat": D("460016"),
    "br_eget_kapital": D("1751017"),
    "br_kortfristiga": D("1981845"),
    "br_skulder": D("1981845"),
    "br_ek_och_skulder": D("3732862"),
    # Kassaflödesanalys
    "kf_resultat": D("460016"),
    "kf_avskrivningar": D("0"),
    "kf_ej_likvida": D("0"),
    "kf_fore_rorelsekapital": D("460016"),
    "kf_fordringar": D("1055781"),
    "kf_skulder": D("-283797"),
    "kf_lopande": D("1232000"),
    "kf_investering": D("0"),
    "kf_finansiering": D("0"),
    "kf_arets": D("1232000"),
    "kf_ingang": D("1629194"),
    "kf_utgang": D("2861194"),
    # Noter
    "n1_staten": D("3081768"),
    "n1_kommuner": D("1539000"),  # Skellefteå 1 458 000 + Norsjö 81 000
    "n1_region": D("1538000"),
    "n2_medlemmar": D("871668"),
    "n3_leverantorer": D("1981845"),
}


def seed_statements(*, federation: Organisation, actor: User, stdout) -> None:
    """Called from seed_finance after the 2019 import."""
    statement_services.mapping_apply_template(organisation=federation, actor=actor, template="federation")
    year = FiscalYear.objects.for_organisation(federation).filter(start=dt.date(2018, 1, 1)).first()
    if year is None:
        year = account_services.fiscal_year_create(
            organisation=federation, actor=actor, start=dt.date(2018, 1, 1), end=dt.date(2018, 12, 31)
        )
    if not EquityYear.objects.filter(fiscal_year=year).exists():
        # The eget kapital page's 2018 row, from the same typed balansräkning.
        equity_services.equity_year_save(
            organisation=federation,
            actor=actor,
            fiscal_year=year,
            opening=FIGURES_2018["br_ek_ingang"],
            result=FIGURES_2018["rr_resultat"],
            forecast_result=None,
            allocated=FIGURES_2018["rr_intakter"],
        )
    if StatementFigure.objects.filter(fiscal_year=year).exists():
        return
    statement_services.figures_save_by_key(organisation=federation, actor=actor, fiscal_year=year, values=FIGURES_2018)
    stdout.write(f"  Ekonomi: bokslut 2018 inskrivet ({len(FIGURES_2018)} belopp)")
