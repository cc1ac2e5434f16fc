"""Stories, their key points, and the links that place articles in them."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from sources.models import Article
from sources.ratings import BUCKET_LABELS, BUCKETS

from .freshness import ContentVersion  # noqa: F401  (a model: registered with the app here)


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Stories readers may see: published, with a publication time that has come.

        Story.is_public asks the same of one story already loaded.
        """
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_picture(self):
        """Each story with the picture its teaser shows, in the same query: of up to
        PICTURE_CANDIDATES of its articles, the earliest published with a thumbnail
        (picture), and that article's outlet (picture_source_name, picture_source_logo);
        empty when none has one.

        A few articles rather than all keeps the cost fixed: searching a whole story of
        8,000 articles without a thumbnail took 15 ms per column. Unordered, the links'
        index gives the first few at once; a story's own list is ordered elsewhere.
        """
        first_attached = (
            StoryArticle.objects.filter(story=models.OuterRef(models.OuterRef("pk")))
            .order_by()
            .values("article_id")[:PICTURE_CANDIDATES]
        )
        pictured = (
            Article.objects.filter(pk__in=models.Subquery(first_attached))
            .exclude(thumbnail="")
            .order_by("published_at", "id")
        )
        return self.annotate(
            **{
                f"picture{suffix}": models.Subquery(pictured.values(column)[:1])
                for suffix, column in _PICTURE_COLUMNS.items()
            }
        )

    def absorbed(self, slug: str):
        """The stories that took in, by a merge, the story that had this slug."""
        return self.filter(redirects__old_slug=slug)


# How many of a story's articles are looked at for its picture.
PICTURE_CANDIDATES = 20
# The picture's annotations on a story, by suffix after "picture", and their article columns.
_PICTURE_COLUMNS = {"": "thumbnail", "_source_name": "source__name", "_source_logo": "source__logo"}


class TopicQuerySet(models.QuerySet):
    def with_story_counts(self):
        """Each topic with story_count, how many published stories are tagged with it."""
        published = Q(stories__in=Story.objects.published())
        return self.annotate(story_count=models.Count("stories", filter=published))


class Topic(models.Model):
    """A subject editors tag stories with ("Energy", "Labor"); readers follow topics."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Energy" and "energy" would be two topics readers cannot tell apart.
            models.UniqueConstraint(
                Lower("name"),
                name="topic_name_unique_ignoring_case",
                violation_error_message=(
                    "A topic with this name already exists (names are compared "
                    "without regard to case)."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topic_detail", kwargs={"slug": self.slug})


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Counters of the story's articles and of the sources covering them, in all and per
    # bias bucket: lists read them instead of counting. Only stories.counters writes them,
    # always as a fresh recount (see recount_stories()), so they cannot drift.
    article_count = models.PositiveIntegerField("articles", default=0, editable=False)
    source_count = models.PositiveIntegerField("sources", default=0, editable=False)
    left_count = models.PositiveIntegerField("left sources", default=0, editable=False)
    center_count = models.PositiveIntegerField("center sources", default=0, editable=False)
    right_count = models.PositiveIntegerField("right sources", default=0, editable=False)
    # The key points' text, joined, for site search (stories.search_text keeps it fresh;
    # on PostgreSQL an expression index holds it with the title, see migration 0007).
    key_points_text = models.TextField(default="", blank=True, editable=False)
    topics = models.ManyToManyField(Topic, blank=True, related_name="stories")

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="story_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="story_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_published_idx"),
            # The admin's and the API's orderings by these counts.
            models.Index(fields=["article_count"], name="story_article_count_idx"),
            models.Index(fields=["source_count"], name="story_source_count_idx"),
            models.Index(fields=["title"], name="story_title_idx"),  # the API's ordering=title
            # The admin's order (Meta.ordering), drafts included.
            models.Index(fields=["-published_at", "-created_at"], name="story_date_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Whether readers may see it: the test of published(), for a loaded story."""
        return self.shows_publicly(self.status, self.published_at)

    @classmethod
    def shows_publicly(cls, status: str, published_at, now=None) -> bool:
        """The test of published(), for a story's status and publication time as loaded."""
        return (
            status == cls.Status.PUBLISHED
            and published_at is not None
            and published_at <= (now or timezone.now())
        )


class KeyPoint(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="key_points")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(max_length=600, validators=[MaxLengthValidator(600)])

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["story", "position"], name="keypoint_story_idx")]

    def __str__(self):
        return self.text[:80]


class StoryArticle(models.Model):
    """Places an article in a story. The one-to-one keeps it in at most one story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="story_articles")
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="story_link")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the article stands for its copies in this story (sources/copies.py): the first
    # published of the story's articles with its copy key, or any article without one; and
    # the same among the story's articles whose outlets are on its side of the spectrum
    # (a bias tab of the story page). Kept by the recount (stories/counters.py), so the page
    # lists one card per text by a plain filter instead of numbering the story's articles.
    lead = models.BooleanField(default=True, db_default=True, editable=False)
    side_lead = models.BooleanField(default=True, db_default=True, editable=False)
    # The article's published_at, copied here by the same recount, so that a page of a
    # story's articles newest first reads the index below and then only the page's articles:
    # ordered by the articles' own dates, a story of 20,000 is read whole for a page of 20.
    # Null only between a link's insert and the recount of its transaction.
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = "story article"
        indexes = [
            models.Index(fields=["story", "added_at"], name="storyarticle_story_idx"),
            models.Index(
                fields=["story", "-published_at", "-article"], name="storyarticle_story_date_idx"
            ),
        ]

    def __str__(self):
        return f"{self.article} in {self.story}"


class StorySource(models.Model):
    """An outlet that covers a story: one row per story and source with an article in it.

    Kept by the recount with the story's counters (stories/counters.py), never written
    elsewhere. It answers "stories covered by this outlet" from a small index: through
    the articles, an outlet with 200,000 of them means visiting every one.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    # The unique index below, which starts with the source, serves look-ups by source.
    source = models.ForeignKey(
        "sources.Source", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = "story source"
        constraints = [
            models.UniqueConstraint(fields=["source", "story"], name="storysource_unique"),
        ]

    def __str__(self):
        return f"{self.source_id} covers {self.story_id}"


class Perspective(models.Model):
    """What editors say about one side of a story: a pinned headline and a summary, both optional.

    Without a pin the story page picks the side's most representative headline
    (stories/perspectives.py). A pin whose article has since left the story, or whose
    outlet is no longer rated on this side, is ignored in the same way, never shown.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="perspectives")
    side = models.CharField(max_length=8, choices=[(b, BUCKET_LABELS[b]) for b in BUCKETS])
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="pinned article",
        help_text="Optional: the headline to show for this side instead of the one picked.",
    )
    summary = models.TextField(
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text="Optional: one paragraph on how this side covers the story.",
    )

    class Meta:
        ordering = ["story", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "side"],
                name="perspective_one_per_side",
                violation_error_message="This story already has a perspective for this side.",
            ),
            models.CheckConstraint(condition=Q(side__in=BUCKETS), name="perspective_side_valid"),
        ]

    def __str__(self):
        return f"{BUCKET_LABELS.get(self.side, self.side)} perspective on {self.story}"


class StoryRedirect(models.Model):
    """The slug of a story merged into another, so its published links lead to the survivor.

    Always points at a story that exists: merging the survivor in turn moves its
    redirects along (stories.services.merge_stories), so a chain is followed in one look-up.
    """

    old_slug = models.SlugField(max_length=200, unique=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "story redirect"

    def __str__(self):
        return f"{self.old_slug} → {self.story_id}"
