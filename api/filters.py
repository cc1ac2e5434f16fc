"""Query-string filters of the API lists (django-filter).

Every list accepts only the parameters declared here plus page and page_size, each given
once and with a value (refuse_unanswerable); a value that does not parse is a 400.
"""

from datetime import UTC

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Left

from sources.models import TITLE_ORDER_PREFIX, Article, Source
from sources.ratings import BUCKETS, UNRATED, Bias, Factuality, OwnerCategory, bias_bucket_q
from stories.models import Story, StorySource

from .exceptions import QueryRefused
from .permissions import is_editor
from .selectors import newest_in_story, visible_stories

BUCKET_CHOICES = [(bucket, bucket) for bucket in (*BUCKETS, UNRATED)]
YES_NO = [("true", "true"), ("false", "false")]
ORDERING_HELP = "Comma-separated; prefix with - for descending."
PREMIUM_ORDERING = "factuality is premium only."
DATE_HELP = "ISO 8601 date or date-time; a date alone means its midnight UTC."
# Longest text a parameter takes: a slug's length. Longer values are a 400, which keeps
# every sensible request line well within the web server's limit (gunicorn.conf.py).
MAX_TEXT = 200


class UTCDateTimeField(forms.DateTimeField):
    """A date-time in any offset, converted to UTC; out-of-range values are a 400, not a 500."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError(
                "Enter a date between the years 1 and 9999.", code="invalid"
            ) from None


class DateTimeFilter(filters.DateTimeFilter):
    field_class = UTCDateTimeField


class Text(filters.CharFilter):
    """Words or a slug, at most MAX_TEXT characters."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(*args, **kwargs)


class Ordering(filters.OrderingFilter):
    """Whitelisted ordering; ties are broken by id so pages never overlap.

    `indexed_prefix` maps a field to the length of the prefix its index keeps (a
    headline is too long to index whole): the list is ordered by that prefix
    first, which the index serves, then by the whole field, the same order.
    """

    def __init__(self, *args, indexed_prefix=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indexed_prefix = indexed_prefix or {}

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if not value:
            return qs
        return qs.order_by(*self.by_index(qs.query.order_by), "-pk")

    def by_index(self, fields):
        for field in fields:
            name = field.removeprefix("-")
            if name in self.indexed_prefix:
                prefix = Left(name, self.indexed_prefix[name])
                yield prefix.desc() if field.startswith("-") else prefix.asc()
            yield field


class PublishedRange(filters.FilterSet):
    """The published_after / published_before pair that stories and articles share."""

    published_after = DateTimeFilter(
        field_name="published_at",
        lookup_expr="gte",
        help_text=f"Published at or after. {DATE_HELP}",
    )
    published_before = DateTimeFilter(
        field_name="published_at", lookup_expr="lt", help_text=f"Published before. {DATE_HELP}"
    )


class StoryFilter(PublishedRange):
    source = Text(
        method="covered_by",
        help_text="Slug of a source: stories with at least one of its articles.",
    )
    topic = Text(field_name="topics__slug", help_text="Slug of a topic: stories tagged with it.")
    status = filters.ChoiceFilter(
        choices=Story.Status.choices,
        help_text="draft or published. Only editors see drafts; for everyone else "
        "status=draft gives an empty list.",
    )
    search = Text(field_name="title", lookup_expr="icontains", help_text="Words in the title.")
    ordering = Ordering(
        fields=["published_at", "updated_at", "title", "article_count", "source_count"],
        help_text="Comma-separated; prefix a field with - for descending. Default -published_at.",
    )

    class Meta:
        model = Story
        fields = []

    def covered_by(self, queryset, name, value: str):
        """Through the stories' StorySource rows: an outlet's articles may number 200,000.

        The source's id is looked up first, so that the database plans for that source:
        for a big one, walking the newest stories and probing each is fastest; for a
        small one, reading its few rows.
        """
        source = Source.objects.filter(slug=value).values_list("pk", flat=True).first()
        if source is None:
            return queryset.none()
        return queryset.filter(
            Exists(StorySource.objects.filter(story=OuterRef("pk"), source=source))
        )


class ArticleFilter(PublishedRange):
    source = Text(field_name="source__slug", help_text="Slug of the source.")
    story = Text(method="by_story", help_text="Slug of a story.")
    bias = filters.ChoiceFilter(
        choices=BUCKET_CHOICES, method="in_bucket", help_text="Bias bucket of the source."
    )
    unassigned = filters.ChoiceFilter(
        choices=YES_NO,
        method="by_assignment",
        help_text="Editors only (others get 401/403): true lists articles in no story, "
        "false those in one.",
    )
    factuality = filters.ChoiceFilter(
        field_name="source__factuality",
        choices=Factuality.choices,
        help_text="Premium only (others get 400): factuality level of the source, 1 to 5.",
    )
    search = Text(field_name="title", lookup_expr="icontains", help_text="Words in the headline.")
    ordering = Ordering(
        fields=[
            ("published_at", "published_at"),
            ("title", "title"),
            ("source__factuality", "factuality"),
        ],
        indexed_prefix={"title": TITLE_ORDER_PREFIX},
        help_text=f"{ORDERING_HELP} Default -published_at. {PREMIUM_ORDERING}",
    )

    class Meta:
        model = Article
        fields = []

    def by_story(self, queryset, name, value: str):
        # Non-editors filter among published stories only, so a draft's slug finds nothing.
        # The story's id as a subquery (slugs are unique), so the index of its links by date
        # serves the default order (selectors.newest_in_story); ordering= replaces that order.
        stories = visible_stories(editor=is_editor(self.request.user)).filter(slug=value).order_by()
        return newest_in_story(queryset, Subquery(stories.values("pk")[:1]))

    def in_bucket(self, queryset, name, value: str):
        return queryset.filter(bias_bucket_q(value, through="source__"))

    def by_assignment(self, queryset, name, value: str):
        # The flag the stories app keeps (stories/placement.py), which an index serves.
        return queryset.filter(in_story=value != "true")


class SourceFilter(filters.FilterSet):
    bias = filters.ChoiceFilter(
        choices=Bias.choices, help_text="Seven-point bias, -3 (far left) to 3 (far right)."
    )
    bias_bucket = filters.ChoiceFilter(
        choices=BUCKET_CHOICES, method="in_bucket", help_text="left, center, right or unrated."
    )
    owner_category = filters.ChoiceFilter(
        field_name="owner__category", choices=OwnerCategory.choices, help_text="Owner's category."
    )
    country = Text(field_name="country", lookup_expr="iexact", help_text="ISO 3166 code, e.g. US.")
    factuality = filters.ChoiceFilter(
        choices=Factuality.choices,
        help_text="Premium only (others get 400): factuality level, 1 to 5.",
    )
    search = Text(field_name="name", lookup_expr="icontains", help_text="Words in the name.")
    ordering = Ordering(
        fields=["name", "bias", "country", "factuality"],
        help_text=f"{ORDERING_HELP} Default name. {PREMIUM_ORDERING}",
    )

    class Meta:
        model = Source
        fields = []

    def in_bucket(self, queryset, name, value: str):
        return queryset.in_bucket(value)


PAGE_PARAMS = frozenset({"page", "page_size"})
LIST_PARAMS = frozenset({"ordering"})  # comma-separated


def refuse_unanswerable(params, *, allowed: set[str], factuality: bool) -> None:
    """400 for factuality asked without premium access, and for unknown parameters.

    Ignoring an unknown parameter would answer a misspelt filter (?sorce=...) with
    the whole unfiltered list, which looks like a valid answer; a 400 that lists
    the allowed names is the honest reply.
    """
    if not factuality:
        asked = [name for name in params if "factuality" in name.lower()]
        if any("factuality" in value.lower() for value in params.getlist("ordering")):
            asked.append("ordering")
        if asked:
            raise QueryRefused(
                code="premium_required",
                message="Filtering or ordering by factuality needs a premium subscription.",
                fields=dict.fromkeys(asked, "Premium only."),
            )
    unknown = sorted(set(params) - allowed)
    if unknown:
        names = ", ".join(sorted(allowed))
        raise QueryRefused(
            code="unknown_parameter",
            message=f"Unknown query parameter: {', '.join(unknown)}. Allowed here: {names}.",
            fields=dict.fromkeys(unknown, f"Unknown parameter; allowed here: {names}."),
        )
    refuse_repeated_or_blank(params)


def refuse_repeated_or_blank(params) -> None:
    """400 for a parameter given twice or without a value.

    django-filter skips blank values and reads the last of repeated ones, so ?bias= or
    ?page=1&page=2 would be answered as though they meant something.
    """
    repeated = sorted(name for name, values in params.lists() if len(values) > 1)
    if repeated:
        raise QueryRefused(
            code="invalid",
            message=f"Give each query parameter once: {', '.join(repeated)} came more than once.",
            fields=dict.fromkeys(repeated, "Given more than once."),
        )
    blank = sorted(name for name, value in params.items() if _is_blank(name, value))
    if blank:
        raise QueryRefused(
            code="invalid",
            message=f"Query parameters need a value: {', '.join(blank)} has none; leave "
            "a parameter out rather than send it empty.",
            fields=dict.fromkeys(blank, "Empty; leave it out instead."),
        )


def _is_blank(name: str, value: str) -> bool:
    parts = value.split(",") if name in LIST_PARAMS else [value]
    return any(not part.strip() for part in parts)
