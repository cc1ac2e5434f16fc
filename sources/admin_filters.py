"""List filters for the editors' admin of outlets, feeds and articles."""

from django.contrib import admin
from django.db.models import Q

from .ratings import NOT_RATED, Bias, Factuality

NOT_RATED_VALUE = "none"  # the query-string value of "Not rated"


class RatingFilter(admin.SimpleListFilter):
    """Filter on a rating scale, with "Not rated" for the empty value the plain filter hides."""

    scale = Bias
    field = "bias"

    def lookups(self, request, model_admin):
        return [*self.scale.choices, (NOT_RATED_VALUE, NOT_RATED)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NOT_RATED_VALUE:
            return queryset.filter(**{f"{self.field}__isnull": True})
        if value in {str(rating) for rating in self.scale.values}:
            return queryset.filter(**{self.field: int(value)})
        return queryset


class BiasFilter(RatingFilter):
    title = "bias"
    parameter_name = "bias"


class FactualityFilter(RatingFilter):
    title = "factuality"
    parameter_name = "factuality"
    scale = Factuality
    field = "factuality"


class OutletBiasFilter(BiasFilter):
    """An article's bias is its outlet's."""

    title = "outlet bias"
    field = "source__bias"


class ChoicesFilter(admin.SimpleListFilter):
    """A list filter declared as `options`: query-string value -> (label, narrowing).

    A narrowing is the name of a queryset method (e.g. "failing") or a Q object;
    subclasses only declare title, parameter_name and options.
    """

    options: dict[str, tuple[str, str | Q]] = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.options.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.options:
            return queryset
        _, narrowing = self.options[self.value()]
        if isinstance(narrowing, Q):
            return queryset.filter(narrowing)
        return getattr(queryset, narrowing)()


class FeedHealthFilter(ChoicesFilter):
    title = "fetch health"
    parameter_name = "health"
    options = {"failing": ("Failing", "failing"), "healthy": ("Healthy", "healthy")}
