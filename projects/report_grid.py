"""The participant report grid: which cells a report has, its computed totals, and the checks before submission.

Plain functions over plain data (no database), so the rules are tested on their own. Every total here is
computed from typed cells; nothing typed is a total.

An individinriktad report has three typed base rows per kön (inskrivna vid periodens början, nyinskrivna,
avslutade), from which aktiva (början + nyinskrivna) and kvar vid periodens slut (aktiva − avslutade) are
computed, and one section per category list (åldersgrupp, remittent, …). A section that sums to aktiva or
avslutade must do so per kön once any of its cells is filled in; a section left empty is "ej redovisad".
A strukturövergripande report has one row per activity and participating organisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .models import GENDERS, CategoryList, Gender, ReportCount

Row = ReportCount.Row
Basis = CategoryList.Basis

BASE_ROWS = [Row.CARRIED_OVER, Row.ENROLLED, Row.EXITED]
GENDER_WORDS = {Gender.WOMAN: "kvinnor", Gender.MAN: "män", Gender.OTHER: "icke-binär/annat"}
BASIS_WORDS = {Basis.ACTIVE: "antalet aktiva deltagare", Basis.EXITED: "antalet avslutade deltagare"}
WORKING_AGE = "16–64 år"
UNNAMED_PARTY = "Organisation ej angiven"


@dataclass(frozen=True)
class CategoryRef:
    id: int
    label: str
    age_from: int | None = None
    age_to: int | None = None

    @property
    def outside_working_age(self) -> bool:
        return (self.age_from is not None and self.age_from < 16) or (self.age_to is not None and self.age_to > 64)


@dataclass(frozen=True)
class PartyRef:
    id: int  # 0: no party named (the insats has no samverkanspartner registered)
    name: str


def category_key(category_id: int) -> str:
    return f"cat:{category_id}"


def structural_key(category_id: int, party_id: int) -> str:
    return f"struct:{category_id}:{party_id}"


@dataclass
class GridRow:
    key: str
    label: str
    cells: dict[str, int]
    typed: bool = True
    category_id: int | None = None
    party_id: int | None = None
    flagged: bool = False

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def cell_list(self) -> list[tuple[str, int]]:
        return [(gender, self.cells.get(gender, 0)) for gender in GENDERS]


@dataclass
class GridSection:
    key: str
    title: str
    basis: str
    rows: list[GridRow]
    flagged: bool = False

    @property
    def totals(self) -> dict[str, int]:
        return {gender: sum(row.cells.get(gender, 0) for row in self.rows) for gender in GENDERS}

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    def total_list(self) -> list[tuple[str, int]]:
        return [(gender, self.totals[gender]) for gender in GENDERS]

    @property
    def is_empty(self) -> bool:
        return not any(row.total for row in self.rows)

    @property
    def sums(self) -> bool:
        return self.basis in (Basis.ACTIVE, Basis.EXITED)


@dataclass
class Grid:
    structural: bool
    base_rows: list[GridRow] = field(default_factory=list)
    sections: list[GridSection] = field(default_factory=list)

    def base(self, row: str) -> dict[str, int]:
        for grid_row in self.base_rows:
            if grid_row.key == row:
                return grid_row.cells
        return dict.fromkeys(GENDERS, 0)

    @property
    def active(self) -> GridRow:
        carried, enrolled = self.base(Row.CARRIED_OVER), self.base(Row.ENROLLED)
        cells = {gender: carried.get(gender, 0) + enrolled.get(gender, 0) for gender in GENDERS}
        return GridRow("active", "Aktiva under perioden", cells, typed=False)

    @property
    def remaining(self) -> GridRow:
        active, exited = self.active.cells, self.base(Row.EXITED)
        cells = {gender: active[gender] - exited.get(gender, 0) for gender in GENDERS}
        return GridRow("remaining", "Kvar vid periodens slut", cells, typed=False)

    def basis_cells(self, basis: str) -> dict[str, int]:
        return self.active.cells if basis == Basis.ACTIVE else self.base(Row.EXITED)

    def keys(self) -> set[str]:
        found = {row.key for row in self.base_rows}
        for section in self.sections:
            found.update(row.key for row in section.rows)
        return found

    def typed_rows(self) -> Iterable[GridRow]:
        yield from self.base_rows
        for section in self.sections:
            yield from section.rows


def build_grid(
    *,
    structural: bool,
    lists: Iterable[tuple[str, str, str, list[CategoryRef]]],
    values: Mapping[tuple[str, str], int],
    parties: list[PartyRef] | None = None,
) -> Grid:
    """`lists`: (list key, title, basis, categories) in grid order; `values`: (cell key, kön) -> typed value.

    For a strukturövergripande report `lists` holds the one activity list and `parties` the organisations.
    """

    def cells(key: str) -> dict[str, int]:
        return {gender: int(values.get((key, gender), 0) or 0) for gender in GENDERS}

    grid = Grid(structural=structural)
    if structural:
        party_refs = parties or [PartyRef(0, UNNAMED_PARTY)]
        for list_key, _title, _basis, categories in lists:
            for category in categories:
                rows = [
                    GridRow(
                        structural_key(category.id, party.id),
                        party.name,
                        cells(structural_key(category.id, party.id)),
                        category_id=category.id,
                        party_id=party.id or None,
                    )
                    for party in party_refs
                ]
                grid.sections.append(GridSection(f"{list_key}:{category.id}", category.label, Basis.NONE, rows))
        return grid
    grid.base_rows = [GridRow(str(row), row.label, cells(str(row))) for row in BASE_ROWS]
    for list_key, title, basis, categories in lists:
        rows = [GridRow(category_key(c.id), c.label, cells(category_key(c.id)), category_id=c.id) for c in categories]
        grid.sections.append(GridSection(list_key, title, basis, rows))
    return grid


def validate(grid: Grid, *, age_refs: Mapping[int, CategoryRef] | None = None) -> list[str]:
    """Every impossible figure, in Swedish, naming its row and column. Empty when the report may be submitted."""
    errors: list[str] = []
    if grid.structural:
        return errors
    carried, enrolled, exited = grid.base(Row.CARRIED_OVER), grid.base(Row.ENROLLED), grid.base(Row.EXITED)
    for row in grid.base_rows:
        row.flagged = False
    for gender in GENDERS:
        available = carried[gender] + enrolled[gender]
        if exited[gender] > available:
            errors.append(
                f"{Row.EXITED.label}, {GENDER_WORDS[gender]}: {exited[gender]} är fler än inskrivna vid periodens "
                f"början och nyinskrivna tillsammans ({available})."
            )
            grid.base_rows[2].flagged = True
    active = grid.active.cells
    age_refs = age_refs or {}
    for section in grid.sections:
        section.flagged = False
        for row in section.rows:
            row.flagged = False
        if section.key == CategoryList.Key.AGE_GROUP:
            for row in section.rows:
                ref = age_refs.get(row.category_id)
                if ref is not None and ref.outside_working_age and row.total:
                    row.flagged = True
                    errors.append(
                        f"{section.title}, {row.label}: åldersgruppen ligger utanför {WORKING_AGE} och kan inte ha "
                        f"deltagare ({row.total})."
                    )
        if section.sums and not section.is_empty:
            basis_cells = grid.basis_cells(section.basis)
            for gender, total in section.totals.items():
                if total != basis_cells[gender]:
                    section.flagged = True
                    errors.append(
                        f"{section.title}, {GENDER_WORDS[gender]}: summan {total} stämmer inte med "
                        f"{BASIS_WORDS[section.basis]} ({basis_cells[gender]})."
                    )
        elif section.basis == Basis.AT_MOST_ACTIVE:
            for row in section.rows:
                for gender in GENDERS:
                    if row.cells[gender] > active[gender]:
                        row.flagged = True
                        errors.append(
                            f"{section.title}, {row.label}, {GENDER_WORDS[gender]}: {row.cells[gender]} är fler än "
                            f"antalet aktiva deltagare ({active[gender]})."
                        )
    return errors
