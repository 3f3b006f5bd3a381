"""Participant statistics per insats and across insatser, for any period and year over year.

Built only from submitted reports: of every period (insats, periodtyp, år, period) the newest submitted version
counts; a draft or a superseded version never does, so the figures the board saw never move
(docs/decisions/0021-statistics-and-registreringsunderlag.md). Everything is summed in the database with a
constant number of queries whatever the number of insatser, years or reports:

1. the insatser the user may see, 2. the categories, 3. the reports that count (newest submitted version of each
period, chosen in the database), 4. the base rows per insats, år and kön (inskrivna vid periodens början only of
each year's first period), 5. försörjning and avslutsorsak at avslut per insats and år, 6. the
strukturövergripande counts, 7. every category per kön over the whole selection. (The page adds the years that
have submitted reports.)

Aktiva over several periods is the first period's inskrivna vid periodens början plus every period's
nyinskrivna (as goal_selectors): nobody is counted twice. Category splits are summed over the periods; a split
that sums to aktiva therefore counts a participant once per period they were active in (the page says so when
the selection holds more than one period per insats and year).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL

from core.formatting import MONTHS as MONTHS_SV
from core.models import Organisation

from .categories import INDIVIDUAL_SPLITS
from .models import GENDERS, PERIOD_COUNTS, Category, CategoryList, ParticipantReport, Project, ReportCount

Row = ReportCount.Row
Key = CategoryList.Key
Basis = CategoryList.Basis
SUBMITTED = ParticipantReport.Status.SUBMITTED

# The period within each year: label, first month, last month. A report counts when its whole period lies
# within the months chosen (a tertial report is not part of a half-year it straddles).
PERIODS: dict[str, tuple[str, int, int]] = {
    "year": ("Helår", 1, 12),
    "h1": ("Halvår 1 (januari–juni)", 1, 6),
    "h2": ("Halvår 2 (juli–december)", 7, 12),
    "t1": ("Tertial 1 (januari–april)", 1, 4),
    "t2": ("Tertial 2 (maj–augusti)", 5, 8),
    "t3": ("Tertial 3 (september–december)", 9, 12),
}
MONTH_NAMES = MONTHS_SV  # the Swedish month names, from core.formatting
PERIODS.update({f"m{n}": (MONTH_NAMES[n - 1].capitalize(), n, n) for n in range(1, 13)})

START_MONTH = Case(
    When(period_kind="month", then=F("period_number")),
    When(period_kind="tertial", then=(F("period_number") - 1) * 4 + 1),
    When(period_kind="half_year", then=(F("period_number") - 1) * 6 + 1),
    default=Value(1),
    output_field=IntegerField(),
)
END_MONTH = Case(
    When(period_kind="month", then=F("period_number")),
    When(period_kind="tertial", then=F("period_number") * 4),
    When(period_kind="half_year", then=F("period_number") * 6),
    default=Value(12),
    output_field=IntegerField(),
)


def zero() -> dict[str, int]:
    return dict.fromkeys(GENDERS, 0)


def total(cells: dict[str, int]) -> int:
    return sum(cells.values())


def ordered(cells: dict[str, int] | None) -> list[int]:
    """The cells in kön order (kvinnor, män, icke-binär/annat), for tables."""
    cells = cells or {}
    return [cells.get(gender, 0) for gender in GENDERS]


def share(part: int, whole: int) -> Decimal | None:
    """Percent with one decimal; None when the base is 0 (nothing to divide)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Selection:
    year_from: int
    year_to: int
    period: str = "year"
    project_id: int | None = None

    @property
    def months(self) -> tuple[int, int]:
        _label, first, last = PERIODS[self.period]
        return first, last

    @property
    def period_label(self) -> str:
        return PERIODS[self.period][0]

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def label(self) -> str:
        years = str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"
        return f"{self.period_label} {years}"


def _in_selection(rows: QuerySet[ParticipantReport], selection: Selection) -> QuerySet[ParticipantReport]:
    first, last = selection.months
    return (
        rows.filter(status=SUBMITTED, year__gte=selection.year_from, year__lte=selection.year_to)
        .annotate(start_month=START_MONTH, end_month=END_MONTH)
        .filter(start_month__gte=first, end_month__lte=last)
    )


@dataclass
class Current:
    """The reports that count: the newest submitted version of every period in the selection, chosen in the
    database. `periods` is read once (report id -> insats, år; and each insats's first period of each year);
    the sums then filter on `subquery`, the same choice as SQL compiled once (no list of ids to send)."""

    periods: dict[int, tuple[int, int]]
    first: set[int]
    subquery: RawSQL | None

    @property
    def ids(self) -> RawSQL | None:
        return self.subquery


def current_reports(*, projects: QuerySet[Project], selection: Selection) -> Current:
    newer = ParticipantReport.objects.filter(
        project_id=OuterRef("project_id"),
        period_kind=OuterRef("period_kind"),
        year=OuterRef("year"),
        period_number=OuterRef("period_number"),
        status=SUBMITTED,
        version__gt=OuterRef("version"),
    )
    rows = _in_selection(ParticipantReport.objects.filter(project__in=projects.values("pk")), selection)
    chosen = rows.filter(~Exists(newer)).order_by()
    try:
        sql, params = chosen.values("pk").query.sql_with_params()
    except EmptyResultSet:  # no insats to look at (none visible, or none that year)
        return Current({}, set(), None)
    periods: dict[int, tuple[int, int]] = {}
    first: dict[tuple[int, int], tuple[int, int]] = {}
    for pk, project_id, year, start_month in chosen.values_list("pk", "project_id", "year", "start_month"):
        periods[pk] = (project_id, year)
        key = (project_id, year)
        if key not in first or (start_month, pk) < first[key]:
            first[key] = (start_month, pk)
    # SQL compiled by the ORM from the queryset above, with its parameters kept apart: nothing user-typed.
    return Current(periods, {pk for _month, pk in first.values()}, RawSQL(sql, params))  # noqa: S611


@dataclass
class BaseFigures:
    """Per (insats, år): aktiva, nyinskrivna, avslutade by kön."""

    carried: dict[tuple[int, int], dict[str, int]]
    enrolled: dict[tuple[int, int], dict[str, int]]
    exited: dict[tuple[int, int], dict[str, int]]

    def found(self) -> set[tuple[int, int]]:
        return set(self.carried) | set(self.enrolled) | set(self.exited)

    def active(self, key: tuple[int, int]) -> dict[str, int]:
        carried, enrolled = self.carried.get(key, zero()), self.enrolled.get(key, zero())
        return {gender: carried[gender] + enrolled[gender] for gender in GENDERS}


def base_figures(*, current: Current) -> BaseFigures:
    """One query: the base rows summed per insats, år and kön (inskrivna vid periodens början only of each
    year's first period)."""
    figures = BaseFigures(defaultdict(zero), defaultdict(zero), defaultdict(zero))
    if not current.periods:
        return figures
    rows = (
        ReportCount.objects.filter(
            report_id__in=current.ids,
            row__in=[Row.CARRIED_OVER, Row.ENROLLED, Row.EXITED],
            value__gt=0,  # zeros add nothing; the partial index holds only the rest
        )
        .values_list("report_id", "row", "gender")
        .annotate(total=Sum("value"))
        .order_by()
    )
    targets = {Row.ENROLLED: figures.enrolled, Row.EXITED: figures.exited, Row.CARRIED_OVER: figures.carried}
    for report_id, row, gender, value in rows:
        if row == Row.CARRIED_OVER and report_id not in current.first:
            continue  # inskrivna vid periodens början count only at the year's first period
        targets[row][current.periods[report_id]][gender] += value or 0
    return figures


def structural_figures(*, current: Current) -> list[dict]:
    """One query: strukturövergripande counts per insats, activity, organisation and kön."""
    if not current.periods:
        return []
    return list(
        ReportCount.objects.filter(report_id__in=current.ids, row=Row.STRUCTURAL, value__gt=0)
        .values("report__project_id", "category_id", "party__name", "gender")
        .annotate(total=Sum("value"))
        .order_by()
    )


def report_years(*, projects: QuerySet[Project]) -> list[int]:
    """The years that have submitted reports, newest first (one query)."""
    rows = (
        ParticipantReport.objects.filter(project__in=projects.values("pk"), status=SUBMITTED)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(rows)


# The page's tables ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Försörjning at avslut of some avslutade: egen and offentlig (Category.group), and the avslutsorsaker that
    are egen försörjning (Arbete, Studier) each on its own."""

    exited: int = 0
    reported: int = 0  # avslutade with a försörjning vid avslut reported (any category of the list)
    own: int = 0
    public: int = 0
    reasons: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    # (avslutsorsak, antal, andel) for the page, set by `statistics` in the order of Statistics.reasons.
    reason_rows: list = field(default_factory=list)

    @property
    def own_share(self) -> Decimal | None:
        return share(self.own, self.exited)

    @property
    def public_share(self) -> Decimal | None:
        return share(self.public, self.exited)

    @property
    def other(self) -> int:
        """Avslutade whose försörjning is neither egen nor offentlig (ingen offentlig försörjning, saknas)."""
        return max(self.reported - self.own - self.public, 0)

    @property
    def unreported(self) -> int:
        return max(self.exited - self.reported, 0)

    def add(self, other: Outcome) -> None:
        self.reported += other.reported
        self.own += other.own
        self.public += other.public
        for pk, value in other.reasons.items():
            self.reasons[pk] += value

    def reason_shares(self, reasons: list[Category]) -> list[tuple[Category, int, Decimal | None]]:
        return [
            (reason, self.reasons.get(reason.pk, 0), share(self.reasons.get(reason.pk, 0), self.exited))
            for reason in reasons
        ]

    def show(self, reasons: list[Category]) -> Outcome:
        self.reason_rows = self.reason_shares(reasons)
        return self


@dataclass
class YearRow:
    year: int
    active: dict[str, int]
    enrolled: dict[str, int]
    exited: dict[str, int]
    outcome: Outcome
    budgeted: int | None
    budgeted_active: int  # aktiva of the insatser that have a budgeted number

    @property
    def active_total(self) -> int:
        return total(self.active)

    @property
    def active_list(self) -> list[int]:
        return ordered(self.active)

    @property
    def enrolled_total(self) -> int:
        return total(self.enrolled)

    @property
    def exited_total(self) -> int:
        return total(self.exited)

    @property
    def budget_share(self) -> Decimal | None:
        return share(self.budgeted_active, self.budgeted or 0)


@dataclass
class ProjectRow:
    project: Project
    active: dict[str, int]
    exited: dict[str, int]
    outcome: Outcome
    structural: dict[str, int]

    @property
    def active_total(self) -> int:
        return total(self.active)

    @property
    def participants(self) -> int:
        return self.active_total if not self.project.is_structural else total(self.structural)

    @property
    def participant_list(self) -> list[int]:
        return ordered(self.structural if self.project.is_structural else self.active)

    @property
    def exited_total(self) -> int:
        return total(self.exited)

    @property
    def budget_share(self) -> Decimal | None:
        return share(self.participants, self.project.budgeted_participants or 0)


@dataclass
class CategoryRow:
    category: Category
    cells: dict[str, int]

    @property
    def total(self) -> int:
        return total(self.cells)

    @property
    def cell_list(self) -> list[int]:
        return ordered(self.cells)


@dataclass
class CategoryTable:
    key: str
    title: str
    basis: str
    rows: list[CategoryRow]
    basis_cells: dict[str, int] | None  # what the split sums to (aktiva or avslutade), None for activities

    @property
    def totals(self) -> dict[str, int]:
        return {gender: sum(row.cells[gender] for row in self.rows) for gender in GENDERS}

    @property
    def total(self) -> int:
        return total(self.totals)

    @property
    def unreported(self) -> dict[str, int] | None:
        """Aktiva or avslutade left out of this split (insatser that did not report it)."""
        if self.basis_cells is None:
            return None
        return {gender: max(self.basis_cells[gender] - self.totals[gender], 0) for gender in GENDERS}

    @property
    def unreported_total(self) -> int:
        return total(self.unreported or zero())

    @property
    def total_list(self) -> list[int]:
        return ordered(self.totals)

    @property
    def unreported_list(self) -> list[int]:
        return ordered(self.unreported)


@dataclass
class StructuralRow:
    activity: str
    organisation: str
    cells: dict[str, int]

    @property
    def total(self) -> int:
        return total(self.cells)

    @property
    def cell_list(self) -> list[int]:
        return ordered(self.cells)


@dataclass
class Statistics:
    selection: Selection
    projects: list[Project]  # every insats the user may see, for the choice
    project: Project | None
    year_rows: list[YearRow]
    project_rows: list[ProjectRow]
    tables: list[CategoryTable]
    structural_rows: list[StructuralRow]
    reasons: list[Category]  # the avslutsorsaker shown as shares (egen försörjning: Arbete, Studier)
    several_periods: bool

    @property
    def has_figures(self) -> bool:
        return any(row.active_total or total(row.exited) for row in self.year_rows) or bool(self.structural_rows)

    @property
    def totals(self) -> YearRow:
        """The whole selection: aktiva over all its years (first year's inskrivna plus every nyinskrivna)."""
        active, enrolled, exited = zero(), zero(), zero()
        outcome = Outcome()
        for row in self.project_rows:
            for gender in GENDERS:
                active[gender] += row.active[gender]
                exited[gender] += row.exited[gender]
            outcome.exited += row.outcome.exited
            outcome.add(row.outcome)
        for row in self.year_rows:
            for gender in GENDERS:
                enrolled[gender] += row.enrolled[gender]
        budgeted_rows = [r for r in self.project_rows if r.project.budgeted_participants is not None]
        budgeted = sum(r.project.budgeted_participants for r in budgeted_rows) if budgeted_rows else None
        outcome.show(self.reasons)
        return YearRow(0, active, enrolled, exited, outcome, budgeted, sum(r.participants for r in budgeted_rows))


def _outcomes(current, categories: dict[int, Category]) -> dict[tuple[int, int], Outcome]:
    """One query: försörjning vid avslut (egen/offentlig) and the egen-försörjning avslutsorsaker per insats, år."""
    wanted = [
        category.pk
        for category in categories.values()
        if category.category_list.key == Key.INCOME_AT_EXIT
        or (category.category_list.key == Key.EXIT_REASON and category.group == "own")
    ]
    found: dict[tuple[int, int], Outcome] = defaultdict(Outcome)
    if not current.periods:
        return found
    rows = (
        ReportCount.objects.filter(report_id__in=current.ids, row=Row.CATEGORY, category_id__in=wanted, value__gt=0)
        .values("report_id", "category_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        category = categories.get(row["category_id"])
        if category is None:
            continue
        outcome = found[current.periods[row["report_id"]]]
        value = row["total"] or 0
        if category.category_list.key == Key.INCOME_AT_EXIT:
            outcome.reported += value
            if category.group == "own":
                outcome.own += value
            elif category.group == "public":
                outcome.public += value
        else:
            outcome.reasons[category.pk] += value
    return found


def _category_tables(
    current, categories: list[Category], active: dict[str, int], exited: dict[str, int]
) -> list[CategoryTable]:
    """One query: every category per kön over the whole selection, as one table per list in grid order."""
    sums: dict[int, dict[str, int]] = defaultdict(zero)
    rows = (
        ReportCount.objects.filter(report_id__in=current.ids, row=Row.CATEGORY, value__gt=0)
        .values("category_id", "gender")
        .annotate(total=Sum("value"))
        .order_by()
        if current.periods
        else []
    )
    for row in rows:
        sums[row["category_id"]][row["gender"]] += row["total"] or 0
    by_list: dict[str, list[Category]] = defaultdict(list)
    bases: dict[str, str] = {}
    for category in categories:
        by_list[category.category_list.key].append(category)
        bases[category.category_list.key] = category.category_list.basis
    tables = []
    for key in INDIVIDUAL_SPLITS:
        basis = bases.get(key, Basis.NONE)
        table_rows = [
            CategoryRow(category, dict(sums.get(category.pk, zero())))
            for category in by_list.get(key, [])
            if category.active or category.pk in sums
        ]
        basis_cells = active if basis == Basis.ACTIVE else exited if basis == Basis.EXITED else None
        tables.append(CategoryTable(key, Key(key).label, basis, table_rows, basis_cells))
    return tables


def statistics(
    *, organisation: Organisation, projects: QuerySet[Project], selection: Selection, project: Project | None = None
) -> Statistics:
    """The statistics of the insatser in `projects` (the organisation's, already narrowed to what the user may
    see), or of one of them."""
    projects = projects.filter(organisation=organisation)
    visible = list(projects.order_by("name", "pk"))
    chosen = projects.filter(pk=project.pk) if project is not None else projects
    categories = list(
        Category.objects.filter(category_list__organisation=organisation)
        .select_related("category_list")
        .order_by("category_list__position", "position", "pk")
    )
    by_pk = {category.pk: category for category in categories}
    current = current_reports(projects=chosen, selection=selection)
    base = base_figures(current=current)
    outcomes = _outcomes(current, by_pk)
    structural = structural_figures(current=current)

    chosen_projects = [row for row in visible if project is None or row.pk == project.pk]
    budgeted = {row.pk: row.budgeted_participants for row in chosen_projects}
    found = base.found()
    year_rows = []
    for year in selection.years:
        active, enrolled, exited = zero(), zero(), zero()
        outcome = Outcome()
        budget_total, budgeted_active, any_budget = 0, 0, False
        for row in chosen_projects:
            key = (row.pk, year)
            if key not in found:
                continue
            project_active = base.active(key)
            for gender in GENDERS:
                active[gender] += project_active[gender]
                enrolled[gender] += base.enrolled.get(key, zero())[gender]
                exited[gender] += base.exited.get(key, zero())[gender]
            hit = outcomes.get(key)
            if hit is not None:
                outcome.add(hit)
            if budgeted[row.pk] is not None and not row.is_structural:
                any_budget = True
                budget_total += budgeted[row.pk]
                budgeted_active += total(project_active)
        outcome.exited = total(exited)
        year_rows.append(
            YearRow(year, active, enrolled, exited, outcome, budget_total if any_budget else None, budgeted_active)
        )

    structural_by_project: dict[int, dict[str, int]] = defaultdict(zero)
    structural_cells: dict[tuple[int, str], dict[str, int]] = defaultdict(zero)
    for row in structural:
        if not row["total"]:
            continue
        structural_by_project[row["report__project_id"]][row["gender"]] += row["total"] or 0
        structural_cells[(row["category_id"], row["party__name"] or "")][row["gender"]] += row["total"] or 0
    project_rows = []
    for row in chosen_projects:
        years = sorted(year for (pk, year) in found if pk == row.pk)
        active, exited = zero(), zero()
        outcome = Outcome()
        for index, year in enumerate(years):
            key = (row.pk, year)
            carried = base.carried.get(key, zero()) if index == 0 else zero()
            for gender in GENDERS:
                active[gender] += carried[gender] + base.enrolled.get(key, zero())[gender]
                exited[gender] += base.exited.get(key, zero())[gender]
            hit = outcomes.get(key)
            if hit is not None:
                outcome.add(hit)
        outcome.exited = total(exited)
        if years or row.pk in structural_by_project:
            project_rows.append(
                ProjectRow(row, active, exited, outcome, dict(structural_by_project.get(row.pk, zero())))
            )

    all_active, all_exited = zero(), zero()
    for row in project_rows:
        for gender in GENDERS:
            all_active[gender] += row.active[gender]
            all_exited[gender] += row.exited[gender]
    structural_rows = [
        StructuralRow(
            by_pk[category_id].label if category_id in by_pk else "–", party or "Organisation ej angiven", cells
        )
        for (category_id, party), cells in sorted(
            structural_cells.items(),
            key=lambda item: (
                (by_pk[item[0][0]].position, item[0][0]) if item[0][0] in by_pk else (0, 0),
                item[0][1] == "",
                item[0][1],
            ),
        )
    ]
    reasons = [c for c in categories if c.category_list.key == Key.EXIT_REASON and c.group == "own" and c.active]
    for row in [*year_rows, *project_rows]:
        row.outcome.show(reasons)
    months = selection.months
    several = len(selection.years) > 1 or any(
        months[1] - months[0] + 1 > 12 // PERIOD_COUNTS.get(row.project.report_period, 1) for row in project_rows
    )
    return Statistics(
        selection=selection,
        projects=visible,
        project=project,
        year_rows=year_rows,
        project_rows=project_rows,
        tables=_category_tables(current, categories, all_active, all_exited),
        structural_rows=structural_rows,
        reasons=reasons,
        several_periods=several,
    )
