"""Stories, their key points, and the links that place articles in them."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from sources.models import BIAS_BUCKETS, Article


def _bucket_q(bucket: str) -> Q:
    """BIAS_BUCKETS re-rooted at a story's articles' sources."""
    ((lookup, value),) = BIAS_BUCKETS[bucket].children
    return Q(**{f"story_articles__article__source__{lookup}": value})


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Story.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_counts(self):
        """Annotate article and source counts, and sources per bias bucket.

        One query for any number of stories; lists (home page, admin, API) use it
        where the full coverage_for() would cost queries per story.
        """
        source = "story_articles__article__source"
        return self.annotate(
            article_count=Count("story_articles", distinct=True),
            source_count=Count(source, distinct=True),
            left_count=Count(source, distinct=True, filter=_bucket_q("left")),
            center_count=Count(source, distinct=True, filter=_bucket_q("center")),
            right_count=Count(source, distinct=True, filter=_bucket_q("right")),
        )


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
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


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
