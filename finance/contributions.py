"""Medlemsbidrag: the year's allocation split between the members of a samordningsförbund. Pure, no Django.

Lagen (2003:1210) om finansiell samordning and the förbundsordning: the state (through Försäkringskassan) pays
half, the region a quarter and the kommuner together a quarter, divided between them by configured shares
(in Skellefteå-Norsjö: people of working age). Each split uses the largest-remainder method in whole units
(1 kr, or 1 000 kr as seed 003 shows its figures), so the parts always sum exactly to the total; a tie goes to
the part listed first (the state before the region before the kommuner). Decimal only, never float.
See docs/decisions/0017-medlemsbidrag-rounding.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

STATE_WEIGHT = Decimal(2)
REGION_WEIGHT = Decimal(1)
MUNICIPALITIES_WEIGHT = Decimal(1)


def split_largest_remainder(total: Decimal, weights: Sequence[Decimal], unit: Decimal = Decimal(1)) -> list[Decimal]:
    """Split total into parts proportional to weights, each a whole multiple of unit, summing exactly to total.

    total must itself be a whole multiple of unit; weights must be non-negative with a positive sum. A part
    gets floor(quota) units, and the units left over go one each to the largest remainders (ties: first listed).
    """
    total, unit = Decimal(total), Decimal(unit)
    if unit <= 0:
        raise ValueError("unit must be positive")
    if total < 0:
        raise ValueError("total must not be negative")
    units = total / unit
    if units != units.to_integral_value():
        raise ValueError("total must be a whole multiple of unit")
    weights = [Decimal(w) for w in weights]
    if not weights or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0:
        raise ValueError("weights must have a positive sum")
    units = int(units)
    # Exact integer arithmetic: scale the weights to integers so no Decimal context rounding can creep in.
    exponent = min(w.as_tuple().exponent for w in weights)
    scale = 10 ** max(0, -int(exponent))
    int_weights = [int(w * scale) for w in weights]
    int_sum = sum(int_weights)
    floors, remainders = [], []
    for w in int_weights:
        q, r = divmod(units * w, int_sum)
        floors.append(q)
        remainders.append(r)
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * unit for f in floors]


@dataclass(frozen=True)
class ContributionPart:
    name: str
    kind: str  # "state", "region" or "municipality"
    amount: Decimal
    share: Decimal | None = None  # the kommun's configured share (weight), None for the state and the region


def split_contributions(
    total: Decimal,
    municipalities: Sequence[tuple[str, Decimal]],
    *,
    unit: Decimal = Decimal(1),
    state_name: str = "Staten genom Försäkringskassan",
    region_name: str = "Regionen",
) -> list[ContributionPart]:
    """The state half, the region quarter, then the kommuner's quarter split by their shares.

    With no kommun listed, or all shares zero, the kommuner's quarter stays one line "Kommunerna".
    """
    state, region, kommuner = split_largest_remainder(total, [STATE_WEIGHT, REGION_WEIGHT, MUNICIPALITIES_WEIGHT], unit)
    parts = [ContributionPart(state_name, "state", state), ContributionPart(region_name, "region", region)]
    shares = [Decimal(share) for _name, share in municipalities]
    if not municipalities or sum(shares, Decimal(0)) <= 0:
        parts.append(ContributionPart("Kommunerna", "municipality", kommuner))
        return parts
    amounts = split_largest_remainder(kommuner, shares, unit)
    parts.extend(
        ContributionPart(name, "municipality", amount, Decimal(share))
        for (name, share), amount in zip(municipalities, amounts, strict=True)
    )
    return parts
