"""List filters for the editors' admin of outlets, feeds and articles."""

from django.contrib import admin

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


class FeedHealthFilter(admin.SimpleListFilter):
    title = "fetch health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("failing", "Failing"), ("healthy", "Healthy")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.failing()
        if self.value() == "healthy":
            return queryset.healthy()
        return queryset
