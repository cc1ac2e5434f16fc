"""List filters for the editors' admin of outlets, feeds and articles."""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Expression, Q
from django.utils import timezone

from .models import Source
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

    A narrowing is the name of a queryset method (e.g. "failing"), a Q object or a
    boolean expression such as Exists(...); subclasses only declare title,
    parameter_name and options.
    """

    options: dict[str, tuple[str, str | Q | Expression]] = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.options.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.options:
            return queryset
        _, narrowing = self.options[self.value()]
        if isinstance(narrowing, str):
            return getattr(queryset, narrowing)()
        return queryset.filter(narrowing)


class FeedHealthFilter(ChoicesFilter):
    title = "fetch health"
    parameter_name = "health"
    options = {"failing": ("Failing", "failing"), "healthy": ("Healthy", "healthy")}


class PublishedWithinFilter(admin.SimpleListFilter):
    """Articles published in the past day, week or month.

    What editors look at; each choice is a range on the indexed date, where a
    date hierarchy would first read the distinct dates of every article.
    """

    title = "published"
    parameter_name = "published_within"
    periods = {
        "24h": ("Past 24 hours", timedelta(hours=24)),
        "7d": ("Past 7 days", timedelta(days=7)),
        "30d": ("Past 30 days", timedelta(days=30)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.periods.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.periods:
            return queryset
        _, period = self.periods[self.value()]
        return queryset.filter(published_at__gte=timezone.now() - period)


class OutletFilter(admin.SimpleListFilter):
    """Articles of one outlet, chosen by its link (?source__id__exact=ID).

    Lists only the outlet chosen, not every outlet: a thousand outlets made a
    sidebar nobody can read that cost more to draw than the page of articles.
    Editors reach an outlet's articles by searching its name.
    """

    title = "outlet"
    parameter_name = "source__id__exact"  # the address Django's own filter used

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        return list(Source.objects.filter(pk=value).values_list("pk", "name"))

    def has_output(self):
        return self.value() is not None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            raise IncorrectLookupParameters("An outlet is chosen by its id.")
        return queryset.filter(source_id=self.value())
