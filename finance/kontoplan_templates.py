"""The kontoplan templates an ekonom can start from: (group code, group name, kind, [(account, name), …]).

"Samordningsförbund" is a small BAS-shaped plan that fits a förbund's few transactions (the lines of seed 003's
resultaträkning, balansräkning and budget–utfall). "Kommun-Bas" follows Kommun-Bas' five-digit accounts under
two-digit kontogrupper (seed 000's account report: 50210 Ordin. lön under 50 LÖNER ARBETAD TID).
"""

from __future__ import annotations

from .models import AccountKind

A, L, E, INC, X = AccountKind.ASSET, AccountKind.LIABILITY, AccountKind.EQUITY, AccountKind.INCOME, AccountKind.EXPENSE

FEDERATION = [
    ("15", "Fordringar", A, [("1510", "Kundfordringar"), ("1650", "Momsfordran"), ("1680", "Övriga fordringar")]),
    ("19", "Kassa och bank", A, [("1930", "Bank")]),
    ("20", "Eget kapital", E, [("2010", "Eget kapital"), ("2099", "Årets resultat")]),
    (
        "24",
        "Kortfristiga skulder",
        L,
        [
            ("2440", "Leverantörsskulder"),
            ("2710", "Personalskatt"),
            ("2730", "Lagstadgade sociala avgifter"),
            ("2990", "Upplupna kostnader och förutbetalda intäkter"),
        ],
    ),
    (
        "30",
        "Medlemsbidrag",
        INC,
        [
            ("3010", "Driftbidrag från staten"),
            ("3020", "Driftbidrag från region"),
            ("3030", "Driftbidrag från kommuner"),
        ],
    ),
    ("39", "Övriga intäkter", INC, [("3910", "EU-medel och andra bidrag"), ("3990", "Övriga intäkter")]),
    (
        "40",
        "Insatser",
        X,
        [
            ("4010", "Verksamheter/projekt"),
            ("4020", "Konferens/seminarier/utbildning"),
            ("4090", "Övriga kostnader insatser"),
        ],
    ),
    ("50", "Kansli", X, [("5010", "Löner kansli"), ("5410", "Sociala avgifter kansli")]),
    ("52", "Styrelse", X, [("5210", "Styrelsens arvoden"), ("5220", "Styrelse utbildning/konferenser")]),
    (
        "61",
        "Kansliets övriga kostnader",
        X,
        [
            ("6110", "Kontorsmaterial"),
            ("6210", "Telefon och porto"),
            ("6550", "Konsulttjänster"),
            ("6570", "Bankkostnader"),
        ],
    ),
    ("83", "Finansiella intäkter", INC, [("8310", "Ränteintäkter")]),
    ("84", "Finansiella kostnader", X, [("8410", "Räntekostnader")]),
]

KOMMUN_BAS = [
    ("15", "KORTFRISTIGA FORDRINGAR", A, [("15110", "Kundfordringar"), ("16410", "Ingående moms")]),
    ("19", "KASSA OCH BANK", A, [("19310", "Bank")]),
    ("20", "EGET KAPITAL", E, [("20110", "Eget kapital"), ("20990", "Årets resultat")]),
    ("25", "KORTFRISTIGA SKULDER", L, [("25110", "Leverantörsskulder"), ("27110", "Personalens källskatt")]),
    ("30", "FÖRSÄLJNINGSMEDEL", INC, [("30004", "Försäljning personalkaffe")]),
    ("35", "BIDRAG", INC, [("35190", "Statsbidr fr övriga")]),
    ("40", "INKÖP AV ANLÄGGN TILLGÅNG", X, [("40250", "Datorutrustning"), ("40270", "Möbler, textilier o inven")]),
    ("41", "INKÖP ANLÄGGN- UHÅLL MTRI", X, [("41052", "Trafikmärken, skyltar")]),
    ("45", "BIDRAG O TRANSFERERINGAR", X, [("45310", "Förenings/verksamh.bidrag")]),
    (
        "50",
        "LÖNER ARBETAD TID",
        X,
        [("50210", "Ordin. lön (ink lång.vik)"), ("50240", "Övertid"), ("50410", "Uppdragstagare")],
    ),
    ("51", "LÖNER EJ ARBETAD TID", X, [("51110", "Semesterlön"), ("51510", "Upplupna semesterlöner")]),
    ("55", "KOSTNADERSÄTTNINGAR", X, [("55210", "Bilers, skattefria"), ("55310", "Omkostn ers, skattefria")]),
    (
        "56",
        "SOC AVG ENL LAG O AVTAL",
        X,
        [("56111", "Arb.giv.avg - Lagstadgade"), ("56112", "Arb.giv.avg - Avtalsbundna")],
    ),
    ("60", "LOKAL- MARKHYROR, FSTSERV", X, [("60110", "Lokalhyror")]),
    (
        "64",
        "FÖRBRUKN INVENT O MATERIAL",
        X,
        [("64310", "Böcker (ej undervisning)"), ("64410", "Livsmedel"), ("64690", "Övr förbrukningsmaterial")],
    ),
    (
        "68",
        "TELE, IT-KOM O POSTBEFORD",
        X,
        [("68140", "Mobiltelefon"), ("68170", "Datakommunikation"), ("68520", "Fraktkostnader")],
    ),
    ("70", "TRANSPORTER OCH RESOR", X, [("70520", "Hotell o logi i Sverige"), ("70590", "Övriga resekostnader")]),
    ("71", "REPRESENTATION", X, [("71110", "Pers.repr (intern) avdrag")]),
    (
        "74",
        "ÖVRIGA FRÄMMANDE TJÄNSTER",
        X,
        [("74331", "Programvaror-licensavgift"), ("74580", "IT-konsulter"), ("74590", "Övr konsulter")],
    ),
    ("76", "DIVERSE KOSTNADER", X, [("76510", "Kurser, konferens, utbildn")]),
    ("84", "FINANSIELLA KOSTNADER", X, [("84110", "Räntekostnader")]),
]

TEMPLATES = {
    "federation": ("Samordningsförbund", FEDERATION),
    "kommun_bas": ("Kommun-Bas", KOMMUN_BAS),
}
