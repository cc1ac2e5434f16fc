"""What the desk proposes for articles in no story, and what editors turned down."""

import time

from django.db import models
from django.db.models import Q

from sources.models import Article
from stories.models import Story


class SuggestionQuerySet(models.QuerySet):
    def open(self):
        """Suggestions still waiting for an editor: not dismissed."""
        return self.filter(dismissed_at__isnull=True)


class Suggestion(models.Model):
    """One story an article may belong to, or (without a story) the proposed new story of
    the articles sharing its `group`. A dismissed row is kept so it is never proposed again;
    a dismissed row without a story whose group is "no-story" records an editor's decision
    that the article belongs in no story (desk.services.no_story_for)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions"
    )
    group = models.CharField(max_length=40, blank=True)
    score = models.FloatField(default=0)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = "inbox suggestion"
        verbose_name_plural = "inbox"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "story"],
                condition=Q(story__isnull=False),
                name="desk_one_suggestion_per_article_story",
            ),
            models.UniqueConstraint(
                fields=["article", "group"],
                condition=Q(story__isnull=True),
                name="desk_one_proposal_per_article_group",
            ),
        ]

    def __str__(self):
        target = self.story.title if self.story_id else f"new story {self.group}"
        return f"{self.article_id} → {target}"


class AutoAttachment(models.Model):
    """An article the task filed in a story by itself because the story scored at or above
    NEWSROOM_DESK_AUTO_ATTACH_SCORE; kept so an editor can see it and undo it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["-at"], condition=Q(undone_at__isnull=True), name="desk_auto_not_undone"
            )
        ]

    def __str__(self):
        return f"{self.article_id} → {self.story_id} (automatic)"


class EngineVersion(models.Model):
    """One row whose number rises with every change to what the suggestion engine has read
    that it cannot apply as it comes (desk/engine_state.py): an article leaving a story or
    moving to another, a merge, a split, a deleted story or article (raised in the
    transaction that makes the change, so a worker that reads the change also reads the
    new number, and rebuilds its engine), or a headline changed by ingestion.
    """

    ROW = 1

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"engine version {self.version}"

    @classmethod
    def current(cls) -> int:
        """The number now (one primary-key read; 0 before the first change)."""
        return cls.objects.filter(pk=cls.ROW).values_list("version", flat=True).first() or 0

    @classmethod
    def bump(cls, using: str = "default") -> None:
        """Make every worker's engine rebuild on its next call. The first row starts from
        the clock, so a database made anew is never mistaken for the one read before."""
        rows = cls.objects.using(using).filter(pk=cls.ROW)
        if not rows.update(version=models.F("version") + 1):
            cls.objects.using(using).get_or_create(
                pk=cls.ROW, defaults={"version": time.time_ns() // 1_000_000}
            )


class RelatedStory(models.Model):
    """One of the stories most like `story`, at `rank` (0 the most alike), as last computed by
    desk.related.refresh_related. Stored so the story page reads its related stories in one
    query instead of comparing hundreds of stories while a reader waits."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="+")
    related = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="related_from")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "rank"], name="desk_related_story_rank"),
            models.UniqueConstraint(fields=["story", "related"], name="desk_related_story_once"),
        ]

    def __str__(self):
        return f"{self.story_id} ~ {self.related_id} ({self.rank})"
