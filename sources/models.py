"""Outlets, their owners and feeds, and the articles the feeds bring in."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone

from .copies import copy_key
from .fetch import validate_feed_url
from .ratings import Bias, Factuality, OwnerCategory, bias_bucket_q


class Owner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    category = models.CharField(
        max_length=32, choices=OwnerCategory.choices, default=OwnerCategory.OTHER
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. US")
    website = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=OwnerCategory.values), name="owner_category_valid"
            ),
        ]

    def __str__(self):
        return self.name


class SourceQuerySet(models.QuerySet):
    def in_bucket(self, bucket: str):
        """Sources whose bias falls in the "left", "center", "right" or "unrated" bucket."""
        return self.filter(bias_bucket_q(bucket))


class Source(models.Model):
    """An outlet. Ratings belong to the outlet, not to its articles."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=500, blank=True)
    domain = models.CharField(
        max_length=253, blank=True, help_text="Host name of the outlet, e.g. example.com"
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. US")
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Owner, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )

    bias = models.SmallIntegerField(
        choices=Bias.choices, null=True, blank=True, help_text="Leave empty for not rated."
    )
    bias_rated_by = models.CharField(max_length=200, blank=True)
    bias_rated_at = models.DateField(null=True, blank=True)
    bias_rating_note = models.CharField(max_length=500, blank=True)

    factuality = models.SmallIntegerField(
        choices=Factuality.choices, null=True, blank=True, help_text="Leave empty for not rated."
    )
    factuality_rated_by = models.CharField(max_length=200, blank=True)
    factuality_rated_at = models.DateField(null=True, blank=True)

    # Always our own re-encode of the upload (sources/logos.py); pages without one show
    # a monogram (sources/monogram.py).
    logo = models.ImageField(
        upload_to="logos/", max_length=200, blank=True, default="", db_default=""
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bias__isnull=True) | Q(bias__in=Bias.values), name="source_bias_valid"
            ),
            models.CheckConstraint(
                condition=Q(factuality__isnull=True) | Q(factuality__in=Factuality.values),
                name="source_factuality_valid",
            ),
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="source_domain_unique"
            ),
        ]
        indexes = [models.Index(fields=["bias"], name="source_bias_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source_detail", kwargs={"slug": self.slug})

    @property
    def bias_bucket(self) -> str | None:
        return Bias.bucket_of(self.bias)


# A feed needs an editor's eye when its last fetches failed, or when the fetcher
# switched it off and said why (an editor's own switch-off leaves no reason).
_FAILING = Q(consecutive_errors__gt=0) | (Q(is_active=False) & ~Q(disabled_reason=""))


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        """Active feeds whose next fetch time has come (or was never set)."""
        now = now or timezone.now()
        return self.filter(is_active=True).filter(
            Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now)
        )

    def failing(self):
        return self.filter(_FAILING)

    def healthy(self):
        return self.exclude(_FAILING)


class Feed(models.Model):
    """An RSS or Atom feed of a source, with the state of its last fetch."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    # The validator resolves the host, so the form says why an address will never be fetched.
    url = models.URLField(
        max_length=2048, unique=True, verbose_name="feed URL", validators=[validate_feed_url]
    )
    title = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True)

    # Conditional GET validators, exactly as the server sent them.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="HTTP status of the last fetch"
    )
    last_error = models.TextField(blank=True)
    last_new_count = models.PositiveIntegerField(default=0)
    last_updated_count = models.PositiveIntegerField(default=0)
    last_skipped_count = models.PositiveIntegerField(default=0)
    consecutive_errors = models.PositiveIntegerField(default=0)
    fetch_interval = models.PositiveIntegerField(
        default=3600, help_text="Seconds between fetches, adapted to how often the feed publishes"
    )
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # A permanent redirect moves the feed only once it has been seen repeatedly.
    redirect_url = models.URLField(max_length=2048, blank=True)
    redirect_count = models.PositiveSmallIntegerField(default=0)

    # Lease: the worker holding it until lease_until is the only one fetching.
    lease_token = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "url"]

    def __str__(self):
        return self.title or self.url


# How many of a headline's first characters the headline order index keeps.
TITLE_ORDER_PREFIX = 250


class ArticleQuerySet(models.QuerySet):
    def awaiting_thumbnail(self):
        """Articles with a picture of which no thumbnail was made yet, nor found impossible."""
        return self.exclude(image_url="").filter(thumbnail="", thumbnail_error="")


class Article(models.Model):
    """An outlet's article as its feed described it. Full text is never stored."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    url = models.URLField(max_length=2048, unique=True, verbose_name="canonical URL")
    guid = models.CharField(max_length=1024, blank=True, verbose_name="feed GUID")
    title = models.CharField(max_length=1000, verbose_name="headline")
    summary = models.TextField(blank=True, help_text="Plain text")
    author = models.CharField(max_length=300, blank=True)
    image_url = models.URLField(max_length=2048, blank=True)
    # Our own small copy of image_url (sources/thumbnails.py): pages show this, never image_url.
    # Database defaults, because ingestion inserts articles in plain SQL.
    thumbnail = models.ImageField(
        upload_to="thumbnails/", max_length=200, blank=True, default="", db_default=""
    )
    thumbnail_error = models.CharField(
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text="Why no thumbnail could be made; not tried again until the image does.",
    )
    published_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Whether a story holds the article. Written only by the stories app, which places
    # articles (stories/placement.py); kept here so that "articles in no story", the
    # editors' inbox, is read from an index of this table alone, not an anti-join over a
    # million links.
    in_story = models.BooleanField(default=False, db_default=False, editable=False)
    # Equal on copies of one wire or syndicated text (sources/copies.py); null when the
    # headline has no words. Kept in step with title and summary on every write.
    copy_key = models.CharField(max_length=40, null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "guid"],
                condition=~Q(guid=""),
                name="article_feed_guid_unique",
                violation_error_message="This feed already has an article with this GUID.",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "-published_at"], name="article_source_date_idx"),
            models.Index(fields=["-published_at"], name="article_date_idx"),
            # Orders by headline (the API's ordering=title). Its first characters only: a
            # whole 1,000-character headline can exceed a PostgreSQL index row.
            models.Index(Left("title", TITLE_ORDER_PREFIX), name="article_title_order_idx"),
            # The inbox, newest first: only the articles in no story.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(in_story=False),
                name="article_inbox_idx",
            ),
            models.Index(fields=["copy_key"], name="article_copy_key_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save every field but in_story, which only the stories app writes, by UPDATE: an
        instance loaded before its article was placed must not take it out again."""
        self.copy_key = copy_key(self.title, self.summary)
        fields = kwargs.get("update_fields")
        if not self._state.adding and fields is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "in_story"
            ]
        elif fields is not None and {"title", "summary"} & set(fields):
            kwargs["update_fields"] = {*fields, "copy_key"}
        super().save(*args, **kwargs)
