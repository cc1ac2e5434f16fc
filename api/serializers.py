"""How stories, articles and sources look in the API.

Factuality is premium data. Serializers name their factuality fields in
`premium_fields`; those keys are left out of the output (absent, not null)
unless context["factuality"] is true, which the views set from
may_see_factuality() once per request. Without that flag nothing leaks.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sources.models import Article
from sources.ratings import BUCKETS, UNRATED, Bias, Factuality, OwnerCategory
from sources.site_url import absolute_url
from stories.models import Story, StoryArticle, Topic

PREMIUM_NOTE = (
    "Premium: present only for readers with an active premium subscription and for "
    "staff; for everyone else the key is absent (not null)."
)
BUCKET_FIELD = serializers.ChoiceField(choices=[*BUCKETS, UNRATED])
MAX_ID = 2**63 - 1  # the largest id the databases can store; bigger numbers are a 400


class PremiumFieldsMixin:
    """Leaves the premium_fields out unless the request may see factuality."""

    premium_fields: tuple[str, ...] = ()

    @property
    def _readable_fields(self):
        hidden = () if self.context.get("factuality") else self.premium_fields
        return [field for field in super()._readable_fields if field.field_name not in hidden]


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """Absolute address of the object's public page, on SITE_URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return absolute_url(obj.get_absolute_url())


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The object's address in the API, on SITE_URL rather than the request's Host."""

    def get_url(self, obj, view_name, request, format):
        # Without a request DRF reverses to a path, which SITE_URL then prefixes.
        path = super().get_url(obj, view_name, None, format)
        return path and absolute_url(path)


class OptionalURLField(serializers.URLField):
    """An address that may be missing: null rather than an empty string, which is no URI."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


# --- Sources ------------------------------------------------------------------


class BiasSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        source="bias", allow_null=True, min_value=-3, max_value=3,
        help_text="-3 far left … 0 center … 3 far right; null when not rated.",
    )  # fmt: skip
    label = serializers.SerializerMethodField()
    bucket = serializers.SerializerMethodField()
    rated_by = serializers.CharField(source="bias_rated_by")
    rated_at = serializers.DateField(source="bias_rated_at", allow_null=True)

    def get_label(self, source) -> str:
        return Bias.label_of(source.bias)

    @extend_schema_field(BUCKET_FIELD)
    def get_bucket(self, source) -> str:
        return source.bias_bucket or UNRATED


class FactualitySerializer(serializers.Serializer):
    value = serializers.IntegerField(
        source="factuality", allow_null=True, min_value=1, max_value=5,
        help_text="1 very low … 5 very high; null when not rated.",
    )  # fmt: skip
    label = serializers.SerializerMethodField()
    rated_by = serializers.CharField(source="factuality_rated_by")
    rated_at = serializers.DateField(source="factuality_rated_at", allow_null=True)

    def get_label(self, source) -> str:
        return Factuality.label_of(source.factuality)


class OwnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    category = serializers.ChoiceField(choices=OwnerCategory.choices)
    category_label = serializers.CharField(source="get_category_display")


class OutletSerializer(PremiumFieldsMixin, serializers.Serializer):
    """A source as it appears inside an article: who published it and its ratings."""

    premium_fields = ("factuality",)

    slug = serializers.SlugField()
    name = serializers.CharField()
    url = ApiUrlField(view_name="api:source-detail", lookup_field="slug")
    bias = BiasSerializer(source="*")
    factuality = FactualitySerializer(source="*", required=False, help_text=PREMIUM_NOTE)


class SourceSerializer(OutletSerializer):
    page_url = PageUrlField()
    homepage = OptionalURLField()
    domain = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166 code; empty when unknown.")
    description = serializers.CharField()
    owner = OwnerSerializer(allow_null=True)


# --- Articles -----------------------------------------------------------------


class StoryRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = ApiUrlField(view_name="api:story-detail", lookup_field="slug")


class VisibleStorySerializer(StoryRefSerializer):
    """The article's story, or null when it has none or only editors may see it (a draft)."""

    def get_attribute(self, article):
        link = getattr(article, "story_link", None)
        if link is None or not (self.context.get("editor") or link.story.is_public):
            return None
        return link.story


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The original article on the outlet's site.")


class ArticleSerializer(ArticleRefSerializer):
    summary = serializers.CharField(help_text="Plain text.")
    author = serializers.CharField()
    image_url = OptionalURLField()
    published_at = serializers.DateTimeField()
    source = OutletSerializer()
    story = VisibleStorySerializer(allow_null=True)
    copy_key = serializers.CharField(
        allow_null=True,
        help_text="Equal on copies of one wire or syndicated text from different outlets "
        "(same headline and summary once normalised): group by it to show each text once. "
        "Null when the headline has no words; such articles are copies of nothing.",
    )


# --- Topics -------------------------------------------------------------------


class TopicRefSerializer(serializers.Serializer):
    """A topic as a story names it."""

    slug = serializers.SlugField()
    name = serializers.CharField()


class TopicSerializer(TopicRefSerializer):
    description = serializers.CharField()
    url = ApiUrlField(view_name="api:topic-detail", lookup_field="slug")
    page_url = PageUrlField()
    story_count = serializers.IntegerField(help_text="Published stories tagged with it.")
    stories_url = serializers.SerializerMethodField(
        help_text="The list of its published stories: /api/v1/stories/?topic=<slug>."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_stories_url(self, topic: Topic) -> str:
        return absolute_url(f"{reverse('api:story-list')}?topic={topic.slug}")


# --- Stories ------------------------------------------------------------------


class PercentagesSerializer(serializers.Serializer):
    left = serializers.IntegerField()
    center = serializers.IntegerField()
    right = serializers.IntegerField()


class BiasSplitSerializer(serializers.Serializer):
    """Covering sources per bias bucket; percentages are of rated sources only."""

    left = serializers.IntegerField()
    center = serializers.IntegerField()
    right = serializers.IntegerField()
    unrated = serializers.IntegerField()
    percentages = PercentagesSerializer()
    sentence = serializers.CharField(help_text='E.g. "41% of the sources are Center".')


class FactualityShareSerializer(serializers.Serializer):
    value = serializers.IntegerField(source="key", allow_null=True, min_value=1, max_value=5)
    label = serializers.CharField()
    count = serializers.IntegerField()
    percentage = serializers.IntegerField()


class OwnershipShareSerializer(serializers.Serializer):
    category = serializers.CharField(source="key", allow_null=True)
    label = serializers.CharField()
    count = serializers.IntegerField()
    percentage = serializers.IntegerField()


class CoverageSummarySerializer(PremiumFieldsMixin, serializers.Serializer):
    """Coverage counts of a story in a list."""

    # Reads what selectors.summarise_coverage() attached: no query per story.
    premium_fields = ("factuality",)

    article_count = serializers.IntegerField()
    source_count = serializers.IntegerField()
    bias = BiasSplitSerializer(source="bias_split")
    factuality = FactualityShareSerializer(
        source="factuality_mix", many=True, required=False, help_text=PREMIUM_NOTE
    )


class FirstReportSerializer(serializers.Serializer):
    """Which outlet reported the story first, when, and with which article."""

    source = OutletSerializer()
    published_at = serializers.DateTimeField()
    article = ArticleRefSerializer(source="*")


class CoverageSerializer(PremiumFieldsMixin, serializers.Serializer):
    """Coverage figures of one story."""

    # Serializes the Coverage that stories.coverage.coverage_for() returns.

    premium_fields = ("factuality",)

    article_count = serializers.IntegerField()
    source_count = serializers.IntegerField()
    bias = BiasSplitSerializer()
    ownership = OwnershipShareSerializer(many=True)
    first_reported = FirstReportSerializer(source="first_article", allow_null=True)
    last_updated = serializers.DateTimeField(allow_null=True)
    factuality = FactualityShareSerializer(many=True, required=False, help_text=PREMIUM_NOTE)


class StorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.ChoiceField(
        choices=Story.Status.choices, help_text="Always published, except for editors."
    )
    url = ApiUrlField(view_name="api:story-detail", lookup_field="slug")
    page_url = PageUrlField()
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    key_points = serializers.SerializerMethodField(help_text="In the editors' order.")
    topics = TopicRefSerializer(many=True, help_text="By name.")
    coverage = CoverageSummarySerializer(source="*")

    def get_key_points(self, story) -> list[str]:
        return [point.text for point in story.key_points.all()]


class StoryDetailSerializer(StorySerializer):
    coverage = CoverageSerializer(help_text="Full coverage figures of the story.")


# --- Writes -------------------------------------------------------------------


class ArticleIdsField(serializers.ListField):
    """A list of article ids, validated in one query and returned as Article objects."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = Article.objects.in_bulk(ids)
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(f"No article with id {', '.join(missing)}.")
        return [found[pk] for pk in ids]


class StringsOnly:
    """Refuses a JSON number or boolean where text belongs (DRF would store 0 as "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(StringsOnly, serializers.CharField):
    pass


class StrictSlugField(StringsOnly, serializers.SlugField):
    pass


class StoryWriteSerializer(serializers.Serializer):
    title = TextField(max_length=300)
    slug = StrictSlugField(
        max_length=200, required=False, help_text="Made from the title when left out on create."
    )
    key_points = serializers.ListField(
        child=TextField(max_length=600),
        max_length=10,
        required=False,
        help_text="Replaces all key points, in this order.",
    )

    def validate_slug(self, value):
        taken = Story.objects.filter(slug=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another story already uses this slug.")
        return value


class StoryCreateSerializer(StoryWriteSerializer):
    articles = ArticleIdsField(
        required=False, help_text="Ids of articles to attach; they leave any other story."
    )


class ArticleSelectionSerializer(serializers.Serializer):
    articles = ArticleIdsField(min_length=1)


class DetachSerializer(ArticleSelectionSerializer):
    """Articles to take out of the story; each must be in it."""

    # The story comes in the serializer context, from the view.

    def validate_articles(self, articles):
        links = StoryArticle.objects.filter(story=self.context["story"], article__in=articles)
        inside = set(links.values_list("article_id", flat=True))
        outside = [str(article.pk) for article in articles if article.pk not in inside]
        if outside:
            raise serializers.ValidationError(f"Not in this story: {', '.join(outside)}.")
        return articles
