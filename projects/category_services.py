"""Writes for the category lists an organisation reports by. Each write leaves a history row (the audit log)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation, User

from .categories import DEFAULT_LISTS
from .models import Category, CategoryList


@transaction.atomic
def category_lists_ensure(*, organisation: Organisation, actor: User | None = None) -> list[CategoryList]:
    """Create the lists (with seed 003's labels) the organisation does not have yet. Existing lists and their
    categories are left as the organisation keeps them."""
    existing = {row.key: row for row in CategoryList.objects.filter(organisation=organisation)}
    for position, (key, basis, categories) in enumerate(DEFAULT_LISTS, start=1):
        if key in existing:
            continue
        category_list = CategoryList(organisation=organisation, key=key, basis=basis, position=position)
        category_list._history_user = actor
        category_list.save()
        for index, (label, group, age_from, age_to) in enumerate(categories, start=1):
            category = Category(
                category_list=category_list,
                label=label,
                position=index * 10,
                group=group,
                age_from=age_from,
                age_to=age_to,
            )
            category._history_user = actor
            category.save()
        existing[key] = category_list
    return list(existing.values())


def _check_label(category_list: CategoryList, label: str, exclude: int | None = None) -> str:
    label = label.strip()
    if not label:
        raise ValidationError({"label": "Ange en benämning."})
    clash = Category.objects.filter(category_list=category_list, label__iexact=label).exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"label": f"Listan har redan kategorin ”{label}”."})
    return label


def _check_ages(age_from: int | None, age_to: int | None) -> None:
    if age_from is not None and age_to is not None and age_to < age_from:
        raise ValidationError({"age_to": "Ålder till kan inte vara lägre än ålder från."})


@transaction.atomic
def category_create(
    *,
    category_list: CategoryList,
    actor: User,
    label: str,
    group: str = "",
    age_from: int | None = None,
    age_to: int | None = None,
) -> Category:
    label = _check_label(category_list, label)
    _check_ages(age_from, age_to)
    last = category_list.categories.order_by("-position").values_list("position", flat=True).first() or 0
    category = Category(
        category_list=category_list, label=label, group=group, age_from=age_from, age_to=age_to, position=last + 10
    )
    category._history_user = actor
    category.save()
    return category


@transaction.atomic
def category_update(
    *,
    category: Category,
    actor: User,
    label: str,
    active: bool,
    group: str = "",
    age_from: int | None = None,
    age_to: int | None = None,
) -> Category:
    """Rename, regroup or retire a category. Submitted reports keep the label they were submitted with, and a
    retired category stays in the reports that used it."""
    category = Category.objects.select_for_update().get(pk=category.pk)
    category.label = _check_label(category.category_list, label, exclude=category.pk)
    _check_ages(age_from, age_to)
    category.active, category.group, category.age_from, category.age_to = active, group, age_from, age_to
    category._history_user = actor
    category.save()
    return category
