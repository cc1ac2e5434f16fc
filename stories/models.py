"""Stories, their key points, and the links that place articles in them."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sources.models import Article


class StoryQuerySet(models.QuerySet):
    def published(self):
        """Stories readers may see: published, with a publication time that has come.

        Story.is_public asks the same of one story already loaded.
        """
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())


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

    class Meta:
        verbose_name = "story article"
        indexes = [models.Index(fields=["story", "added_at"], name="storyarticle_story_idx")]

    def __str__(self):
        return f"{self.article} in {self.story}"
