"""The mapping a samordningsförbund starts from: the lines of seed 003's statements over the förbund's kontoplan
(finance/kontoplan_templates.py FEDERATION). Each row: (statement, key, label, source, accounts, refs, sign, note,
explains, role, emphasis). The ekonom changes any of it on the page "Uppställning av bokslutet".
"""

from __future__ import annotations

from .models import StatementLine as L

S, SRC, R = L.Statement, L.Source, L.Role
H, MOV, CLO, OPN, TOT, CHG, PRV, TYP = (
    SRC.HEADING,
    SRC.MOVEMENT,
    SRC.CLOSING,
    SRC.OPENING,
    SRC.TOTAL,
    SRC.CHANGE,
    SRC.PREVIOUS,
    SRC.TYPED,
)


def _row(
    statement, key, label, source, accounts="", refs="", sign=1, note=None, explains="", role="", bold=False, hide=False
):
    return {
        "hide_if_zero": hide,
        "statement": statement,
        "key": key,
        "label": label,
        "source": source,
        "accounts": accounts,
        "refs": refs,
        "sign": sign,
        "note_number": note,
        "explains": explains,
        "role": role,
        "emphasis": bold,
    }


FEDERATION = [
    # Driftsredovisning: utfall, aktuell budget, avvikelse and the previous year, from the resultaträkning's lines.
    _row(S.OPERATING, "dr_nettokostnad", "Nettokostnad", TOT, refs="rr_kostnader rr_avskrivningar rr_fin_kostnader"),
    _row(S.OPERATING, "dr_intakter", "Bidrag/intäkt", TOT, refs="rr_intakter rr_ovriga_intakter rr_fin_intakter"),
    _row(S.OPERATING, "dr_resultat", "Resultat", TOT, refs="rr_resultat", bold=True),
    _row(S.OPERATING, "dr_eget_kapital", "Utgående eget kapital", TOT, refs="br_eget_kapital"),
    _row(S.OPERATING, "dr_likvida", "Likvida medel", TOT, refs="br_kassa"),
    # Resultaträkning (intäkter positive, kostnader negative).
    _row(S.INCOME, "rr_intakter", "Verksamhetens intäkter", MOV, "3000-3899", sign=-1, note=1, role=R.CONTRIBUTIONS),
    _row(S.INCOME, "rr_ovriga_intakter", "Övriga intäkter", MOV, "3900-3999", sign=-1),
    _row(S.INCOME, "rr_kostnader", "Verksamhetens kostnader", MOV, "4000-7799", sign=-1),
    _row(S.INCOME, "rr_avskrivningar", "Avskrivningar", MOV, "7800-7899", sign=-1),
    _row(
        S.INCOME,
        "rr_nettokostnad",
        "Verksamhetens nettokostnad",
        TOT,
        refs="rr_intakter rr_ovriga_intakter rr_kostnader rr_avskrivningar",
        bold=True,
    ),
    _row(S.INCOME, "rr_fin_intakter", "Finansiella intäkter", MOV, "8000-8399", sign=-1),
    _row(S.INCOME, "rr_fin_kostnader", "Finansiella kostnader", MOV, "8400-8699", sign=-1),
    _row(
        S.INCOME,
        "rr_fore_extra",
        "Resultat före extraordinära poster",
        TOT,
        refs="rr_nettokostnad rr_fin_intakter rr_fin_kostnader",
        bold=True,
    ),
    _row(S.INCOME, "rr_extra", "Extraordinära poster", MOV, "8700-8899", sign=-1),
    _row(S.INCOME, "rr_resultat", "Årets resultat", TOT, refs="rr_fore_extra rr_extra", role=R.RESULT, bold=True),
    # Balansräkning.
    _row(S.BALANCE, "br_h_tillgangar", "Tillgångar", H, bold=True),
    _row(S.BALANCE, "br_h_omsattning", "Omsättningstillgångar", H),
    _row(S.BALANCE, "br_fordringar", "Fordringar", CLO, "1000-1899", note=2),
    _row(S.BALANCE, "br_kassa", "Kassa och bank", CLO, "1900-1999", role=R.CASH),
    _row(S.BALANCE, "br_omsattning", "Summa omsättningstillgångar", TOT, refs="br_fordringar br_kassa", bold=True),
    _row(S.BALANCE, "br_tillgangar", "Summa tillgångar", TOT, refs="br_omsattning", role=R.ASSETS_TOTAL, bold=True),
    _row(S.BALANCE, "br_h_ek_skulder", "Eget kapital, avsättningar och skulder", H, bold=True),
    _row(S.BALANCE, "br_h_eget_kapital", "Eget kapital", H),
    _row(
        S.BALANCE,
        "br_ek_ingang",
        "Eget kapital vid årets ingång",
        OPN,
        "2000-2099",
        sign=-1,
        role=R.EQUITY_OPENING,
    ),
    # Bookings on eget kapital during the year (other than årets resultat): none in a förbund's usual year.
    _row(S.BALANCE, "br_ek_ovrigt", "Övriga förändringar av eget kapital", MOV, "2000-2099", sign=-1, hide=True),
    _row(S.BALANCE, "br_ek_resultat", "Årets resultat", TOT, refs="rr_resultat", role=R.EQUITY_RESULT),
    _row(
        S.BALANCE,
        "br_eget_kapital",
        "Summa eget kapital",
        TOT,
        refs="br_ek_ingang br_ek_ovrigt br_ek_resultat",
        role=R.EQUITY_TOTAL,
        bold=True,
    ),
    _row(S.BALANCE, "br_h_skulder", "Skulder", H),
    _row(S.BALANCE, "br_kortfristiga", "Kortfristiga skulder", CLO, "2100-2999", sign=-1, note=3),
    _row(S.BALANCE, "br_skulder", "Summa skulder", TOT, refs="br_kortfristiga", bold=True),
    _row(
        S.BALANCE,
        "br_ek_och_skulder",
        "Summa eget kapital, avsättningar och skulder",
        TOT,
        refs="br_eget_kapital br_skulder",
        role=R.EQUITY_LIABILITIES_TOTAL,
        bold=True,
    ),
    # Kassaflödesanalys (indirect method, as seed 003).
    _row(S.CASH_FLOW, "kf_h_lopande", "Den löpande verksamheten", H, bold=True),
    _row(S.CASH_FLOW, "kf_resultat", "Årets resultat", TOT, refs="rr_resultat"),
    _row(S.CASH_FLOW, "kf_avskrivningar", "Justering för av- och nedskrivningar", TOT, refs="-rr_avskrivningar"),
    _row(S.CASH_FLOW, "kf_ej_likvida", "Justering för övriga ej likviditetspåverkande poster", TYP),
    _row(
        S.CASH_FLOW,
        "kf_fore_rorelsekapital",
        "Medel från verksamheten före förändring av rörelsekapital",
        TOT,
        refs="kf_resultat kf_avskrivningar kf_ej_likvida",
    ),
    _row(
        S.CASH_FLOW,
        "kf_fordringar",
        "Ökning/minskning av kortfristiga fordringar",
        CHG,
        refs="br_fordringar",
        sign=-1,
        note=2,
    ),
    _row(S.CASH_FLOW, "kf_skulder", "Ökning/minskning av kortfristiga skulder", CHG, refs="br_kortfristiga", note=3),
    _row(
        S.CASH_FLOW,
        "kf_lopande",
        "Kassaflöde från den löpande verksamheten",
        TOT,
        refs="kf_fore_rorelsekapital kf_fordringar kf_skulder",
        bold=True,
    ),
    _row(S.CASH_FLOW, "kf_h_investering", "Investeringsverksamheten", H, bold=True),
    _row(S.CASH_FLOW, "kf_investering", "Kassaflöde från investeringsverksamheten", TYP, bold=True),
    _row(S.CASH_FLOW, "kf_h_finansiering", "Finansieringsverksamheten", H, bold=True),
    # Eget kapital brought in or paid out (not årets resultat) is financing.
    _row(
        S.CASH_FLOW, "kf_finansiering", "Kassaflöde från finansieringsverksamheten", TOT, refs="br_ek_ovrigt", bold=True
    ),
    _row(S.CASH_FLOW, "kf_arets", "Årets kassaflöde", TOT, refs="kf_lopande kf_investering kf_finansiering", bold=True),
    _row(S.CASH_FLOW, "kf_ingang", "Likvida medel vid årets början", PRV, refs="br_kassa"),
    _row(
        S.CASH_FLOW,
        "kf_utgang",
        "Likvida medel vid årets slut",
        TOT,
        refs="kf_ingang kf_arets",
        role=R.CASH_FLOW_END,
        bold=True,
    ),
    # Noter: the rows of each note sum to the line it explains.
    _row(S.NOTE, "n1_staten", "Driftbidrag från staten", MOV, "3010-3019", sign=-1, note=1, explains="rr_intakter"),
    _row(
        S.NOTE, "n1_kommuner", "Driftbidrag från kommunerna", MOV, "3030-3039", sign=-1, note=1, explains="rr_intakter"
    ),
    _row(
        S.NOTE,
        "n1_region",
        "Driftbidrag från landsting/region",
        MOV,
        "3020-3029",
        sign=-1,
        note=1,
        explains="rr_intakter",
    ),
    _row(
        S.NOTE,
        "n1_ovriga",
        "Övriga verksamhetsintäkter",
        MOV,
        "3000-3009, 3040-3899",
        sign=-1,
        note=1,
        explains="rr_intakter",
        hide=True,
    ),
    _row(
        S.NOTE,
        "n2_medlemmar",
        "Fordringar på medlemmar och kunder",
        CLO,
        "1500-1599",
        note=2,
        explains="br_fordringar",
    ),
    _row(S.NOTE, "n2_moms", "Moms", CLO, "1640-1659", note=2, explains="br_fordringar"),
    _row(
        S.NOTE,
        "n2_ovriga",
        "Övriga fordringar",
        CLO,
        "1000-1499, 1600-1639, 1660-1899",
        note=2,
        explains="br_fordringar",
    ),
    _row(
        S.NOTE, "n3_leverantorer", "Leverantörsskulder", CLO, "2400-2499", sign=-1, note=3, explains="br_kortfristiga"
    ),
    _row(
        S.NOTE,
        "n3_personal",
        "Personalens skatter och avgifter",
        CLO,
        "2700-2799",
        sign=-1,
        note=3,
        explains="br_kortfristiga",
        hide=True,
    ),
    _row(
        S.NOTE,
        "n3_upplupna",
        "Upplupna kostnader och förutbetalda intäkter",
        CLO,
        "2900-2999",
        sign=-1,
        note=3,
        explains="br_kortfristiga",
    ),
    _row(
        S.NOTE,
        "n3_ovriga",
        "Övriga kortfristiga skulder",
        CLO,
        "2100-2399, 2500-2699, 2800-2899",
        sign=-1,
        note=3,
        explains="br_kortfristiga",
        hide=True,
    ),
    # Sammanställning av budget och utfall (kostnader positive, as in seed 003).
    _row(S.BUDGET, "bu_h_insatser", "Insatser", H, bold=True),
    _row(S.BUDGET, "bu_projekt", "Verksamheter/projekt", MOV, "4000-4019"),
    _row(S.BUDGET, "bu_konferens", "Konferens/seminarier/utbildning", MOV, "4020-4089"),
    _row(S.BUDGET, "bu_ovriga", "Övriga kostnader", MOV, "4090-4999"),
    _row(S.BUDGET, "bu_insatser", "Summa insatser", TOT, refs="bu_projekt bu_konferens bu_ovriga", bold=True),
    _row(S.BUDGET, "bu_arvoden", "Styrelsens arvoden", MOV, "5200-5219"),
    _row(S.BUDGET, "bu_styrelse", "Styrelse utbildning/konferenser", MOV, "5220-5299"),
    _row(S.BUDGET, "bu_kansli", "Kansli", MOV, "5000-5199, 5300-7899"),
    _row(S.BUDGET, "bu_totalt", "Totalt", TOT, refs="bu_insatser bu_arvoden bu_styrelse bu_kansli", bold=True),
    _row(S.BUDGET, "bu_medlemsavgifter", "Intäkter/medlemsavgifter", MOV, "3000-3899", sign=-1),
    _row(S.BUDGET, "bu_eu", "EU-medel och andra bidrag", MOV, "3900-3989", sign=-1),
    _row(S.BUDGET, "bu_ovriga_intakter", "Intäkter/övriga intäkter", MOV, "3990-3999", sign=-1),
    _row(S.BUDGET, "bu_finansiella", "Finansiella intäkter/kostnader", MOV, "8000-8899", sign=-1),
    _row(
        S.BUDGET,
        "bu_resultat",
        "Resultat",
        TOT,
        refs="bu_medlemsavgifter bu_eu bu_ovriga_intakter bu_finansiella -bu_totalt",
        bold=True,
    ),
]

TEMPLATES = {"federation": ("Samordningsförbund", FEDERATION)}
