"""Integer lookups that match nothing, instead of overflowing, when a value is outside the column's range.

Django (5.0+) already does this for `exact`, `gt`, `gte`, `lt` and `lte` on integer fields, but not for `in` or
for lookups through a foreign key, so `filter(organisation=<25 digits>)` or a multi-select posting a 25-digit id
(`pk__in`) overflows in the database driver (SQLite: OverflowError) and the page answers 500. With these, any
out-of-range number from a query string or a form simply finds no object, on every database.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _out_of_range(value, field, connection) -> bool:
    while getattr(field, "is_relation", False) and getattr(field, "target_field", None) is not None:
        field = field.target_field
    if not isinstance(value, int) or isinstance(value, bool) or not isinstance(field, IntegerField):
        return False
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (low is not None and value < low) or (high is not None and value > high)


class _InRange:
    """For `in`: drop the values no row can have; no value left means no row (In raises EmptyResultSet)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            field = self.lhs.output_field
            self.rhs = [value for value in self.rhs if not _out_of_range(value, field, connection)]
            if not self.rhs:
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class BoundedIntegerIn(_InRange, In):
    pass


class BoundedRelatedIn(_InRange, RelatedIn):
    pass


class BoundedRelatedExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and _out_of_range(self.rhs, self.lhs.output_field, connection):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(BoundedIntegerIn)
    ForeignKey.register_lookup(BoundedRelatedIn)
    ForeignKey.register_lookup(BoundedRelatedExact)
