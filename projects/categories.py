"""The category lists every organisation starts with: seed 003's labels ("Insatser och måluppfyllelse 2019",
Samordningsförbundet Skellefteå-Norsjö), as written there. They are data: each organisation may rename, add
or retire categories (category_services); a submitted report keeps the labels it was submitted with.

Each entry: (label, group, age_from, age_to). Group is "own" (egen försörjning), "public" (offentlig
försörjning) or "".
"""

from __future__ import annotations

from .models import CategoryList

Key = CategoryList.Key
Basis = CategoryList.Basis

DEFAULT_LISTS: list[tuple[str, str, list[tuple[str, str, int | None, int | None]]]] = [
    (
        Key.AGE_GROUP,
        Basis.ACTIVE,
        [
            ("16 - 29 år", "", 16, 29),
            ("30 - 44 år", "", 30, 44),
            ("45 - 59 år", "", 45, 59),
            ("60 - 64 år", "", 60, 64),
        ],
    ),
    (
        Key.REFERRER,
        Basis.ACTIVE,
        [
            ("Af", "", None, None),
            ("FK", "", None, None),
            ("Kommun", "", None, None),
            ("Region VB", "", None, None),
            ("Annan (egen kontakt)", "", None, None),
        ],
    ),
    (
        Key.EDUCATION,
        Basis.ACTIVE,
        [
            ("Deltagaren saknar utbildning motsvarande grundskola", "", None, None),
            ("Grundsärskola", "", None, None),
            ("Grundskola", "", None, None),
            ("Gymnasiesärskola", "", None, None),
            ("Gymnasium", "", None, None),
            ("Högskola/universitet upp till 1 år", "", None, None),
            ("Högskola/universitet upp till 3 år", "", None, None),
            ("Högskola/universitet mer än 3 år", "", None, None),
            ("Saknas/okänd", "", None, None),
        ],
    ),
    (
        Key.INCOME_AT_ENTRY,
        Basis.ACTIVE,
        [
            ("Lön/Arbete", "own", None, None),
            ("Studiestöd/Studiemedel", "own", None, None),
            ("A-kassa", "public", None, None),
            ("Aktivitetsstöd/Utvecklingsersättning", "public", None, None),
            ("Sjuk-/Rehabpenning", "public", None, None),
            ("Sjukersättning", "public", None, None),
            ("Aktivitetsersättning", "public", None, None),
            ("Försörjningsstöd", "public", None, None),
            ("Annan offentlig försörjning", "public", None, None),
            ("Ingen offentlig försörjning", "", None, None),
            ("Saknas/okänd", "", None, None),
        ],
    ),
    (
        Key.INCOME_AT_EXIT,
        Basis.EXITED,
        [
            ("Lön/Arbete", "own", None, None),
            ("Studiestöd/Studiemedel", "own", None, None),
            ("A-kassa", "public", None, None),
            ("Aktivitetsstöd/Utvecklingsersättning", "public", None, None),
            ("Sjuk-/Rehabpenning", "public", None, None),
            ("Sjukersättning", "public", None, None),
            ("Aktivitetsersättning", "public", None, None),
            ("Försörjningsstöd", "public", None, None),
            ("Annan offentlig försörjning", "public", None, None),
            ("Ingen offentlig försörjning", "", None, None),
            ("Saknas/okänd", "", None, None),
        ],
    ),
    (
        # The rows of seed 003's table "Avslutsorsak/försörjning/arbetsförmåga efter individriktad insats".
        Key.EXIT_REASON,
        Basis.EXITED,
        [
            ("Arbete", "own", None, None),
            ("Studier", "own", None, None),
            ("A-kassa", "public", None, None),
            ("Aktivitetsstöd", "public", None, None),
            ("Sjukpenning/Rehabpenning", "public", None, None),
            ("Sjukersättning", "public", None, None),
            ("Aktivitetsersättning", "public", None, None),
            ("Försörjningsstöd", "public", None, None),
            ("Annan offentlig försörjning (Pension/Äldreförsörjningsstöd/Föräldrapenning)", "public", None, None),
            ("Ingen offentlig försörjning (t ex egna besparingar)", "", None, None),
        ],
    ),
    (
        Key.ACTIVITY,
        Basis.AT_MOST_ACTIVE,
        [
            ("Kartläggning", "", None, None),
            ("Individuell handlingsplan", "", None, None),
            ("Praktik", "", None, None),
            ("Studiebesök", "", None, None),
            ("Föreläsningar", "", None, None),
            ("Studiestöd", "", None, None),
        ],
    ),
    (
        # Seed 003, 1.3.2.2: the kinds of strukturövergripande insatser.
        Key.STRUCTURAL_ACTIVITY,
        Basis.NONE,
        [
            ("Mötesplatser", "", None, None),
            ("Frukostmöten", "", None, None),
            ("Utbildningar och kompetensinsatser", "", None, None),
            ("Process- och metodstöd", "", None, None),
            ("Kartläggningar och behovsanalyser", "", None, None),
            ("Utveckling av samverkan", "", None, None),
            ("Annan verksamhet/övergripande utveckling inom rehabiliteringsområdet", "", None, None),
        ],
    ),
    (
        # Seed 003, 1.3.1 and the målgrupper of its insatser.
        Key.TARGET_GROUP,
        Basis.NONE,
        [
            ("Unga som riskerar att hamna i långvarigt utanförskap", "", None, None),
            ("Sjukskrivna personer som saknar sjukpenning och har nedsatt arbetsförmåga (SGIO)", "", None, None),
            ("Personer med fysisk och psykisk ohälsa", "", None, None),
            ("Personer med långvarigt försörjningsstöd", "", None, None),
            ("Nyanlända/utrikes födda", "", None, None),
            ("Långtidsarbetslösa med sammansatt problematik", "", None, None),
            ("Unga med aktivitetsersättning", "", None, None),
            ("Chefer och anställda med personalansvar", "", None, None),
        ],
    ),
]

# The lists an individinriktad report splits by, in grid order.
INDIVIDUAL_SPLITS = [
    Key.AGE_GROUP,
    Key.REFERRER,
    Key.EDUCATION,
    Key.INCOME_AT_ENTRY,
    Key.INCOME_AT_EXIT,
    Key.EXIT_REASON,
    Key.ACTIVITY,
]
