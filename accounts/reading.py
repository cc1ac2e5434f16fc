"""A reader's own stories: the ones they saved, and (with My News Bias on) the ones they read.

Reads are recorded only for readers who switched My News Bias on, once per story
with the last time it was opened; readers see, download and delete them at will.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Greatest
from django.utils import timezone

from sources.ratings import BUCKETS
from stories.coverage import BiasSplit, split_of
from stories.models import Story

from .models import NewsBiasOptIn, SavedStory, StoryRead
from .premium import may_see_factuality

NEWS_BIAS_DAYS = 30


class SaveLimitReached(Exception):
    """A free reader already saved as many stories as a free account may."""


def save_limit(user) -> int | None:
    """How many stories this reader may save; None for premium readers (no limit)."""
    return None if may_see_factuality(user) else settings.NEWSROOM_FREE_SAVED_STORIES


def visit_story(*, user, slug: str) -> bool | None:
    """Whether the reader saved this published story (None if there is none), in one query.

    A reader with My News Bias on has the read recorded, in one more.
    """
    mine = {"user": user, "story": OuterRef("pk")}
    row = (
        Story.objects.published()
        .filter(slug=slug)
        .annotate(
            saved=Exists(SavedStory.objects.filter(**mine)),
            tracking=Exists(NewsBiasOptIn.objects.filter(user=user)),
        )
        .values("pk", "saved", "tracking")
        .first()
    )
    if row is None:
        return None
    if row["tracking"]:
        StoryRead.objects.bulk_create(
            [StoryRead(user=user, story_id=row["pk"], read_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["user", "story"],
            update_fields=["read_at"],
        )
    return row["saved"]


@transaction.atomic
def save_story(*, user, story: Story) -> None:
    """Add the story to the reader's saved stories; raises SaveLimitReached past the limit."""
    # One reader's saves take turns, so two tabs cannot both take the last free place.
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    if SavedStory.objects.filter(user=user, story=story).exists():
        return
    limit = save_limit(user)
    if limit is not None and SavedStory.objects.filter(user=user).count() >= limit:
        raise SaveLimitReached
    SavedStory.objects.create(user=user, story=story)


def unsave_story(*, user, story: Story) -> None:
    SavedStory.objects.filter(user=user, story=story).delete()


def saved_stories(user):
    """The reader's saved stories that are published, newest saved first."""
    return (
        SavedStory.objects.filter(user=user, story__in=Story.objects.published())
        .select_related("story")
        .order_by("-saved_at", "-id")
    )


def saved_count(user) -> int:
    return SavedStory.objects.filter(user=user).count() if user.is_authenticated else 0


@transaction.atomic
def move_to_survivor(*, survivor: Story, absorbed: Story) -> None:
    """Give readers' saves and reads of `absorbed` to `survivor`, before `absorbed` is
    deleted by a merge; a reader keeps one row of each for the survivor.

    A reader who saved both keeps their save of the survivor; a reader who read both keeps
    the later of the two read times. Five statements, whatever the number of readers.
    """
    saved_both = SavedStory.objects.filter(story=survivor).values("user_id")
    SavedStory.objects.filter(story=absorbed, user_id__in=saved_both).delete()
    SavedStory.objects.filter(story=absorbed).update(story=survivor)

    other_read = StoryRead.objects.filter(story=absorbed, user_id=OuterRef("user_id"))
    StoryRead.objects.filter(story=survivor).filter(Exists(other_read)).update(
        read_at=Greatest("read_at", Subquery(other_read.values("read_at")[:1]))
    )
    read_both = StoryRead.objects.filter(story=survivor).values("user_id")
    StoryRead.objects.filter(story=absorbed, user_id__in=read_both).delete()
    StoryRead.objects.filter(story=absorbed).update(story=survivor)


def news_bias_on(user) -> bool:
    return NewsBiasOptIn.objects.filter(user=user).exists()


@transaction.atomic
def switch_news_bias(*, user, on: bool) -> None:
    """Start or stop recording the reader's reads; the history stays until they delete it."""
    if on:
        NewsBiasOptIn.objects.get_or_create(user=user)
    else:
        NewsBiasOptIn.objects.filter(user=user).delete()


def delete_reading_history(*, user) -> int:
    """Forget every story the reader read; returns how many."""
    return StoryRead.objects.filter(user=user).delete()[0]


def reading_history(user):
    return StoryRead.objects.filter(user=user).select_related("story").order_by("-read_at", "-id")


def _bucket_sums(stories) -> tuple[BiasSplit, int]:
    """The covering sources of these stories added up per bucket, and how many stories."""
    sums = {f"{bucket}_count": Sum(f"{bucket}_count", default=0) for bucket in BUCKETS}
    row = stories.aggregate(
        **sums, source_count=Sum("source_count", default=0), stories=Count("pk")
    )
    return split_of(SimpleNamespace(**row)), row["stories"]


def news_bias(user, *, now=None) -> dict:
    """The bias mix of the stories the reader read in the last 30 days, and of all stories
    published then: the sources covering them, per bucket (two queries)."""
    since = (now or timezone.now()) - timedelta(days=NEWS_BIAS_DAYS)
    read = StoryRead.objects.filter(user=user, read_at__gte=since).values("story_id")
    published = Story.objects.published()
    yours, read_count = _bucket_sums(published.filter(pk__in=read))
    everyone, story_count = _bucket_sums(published.filter(published_at__gte=since))
    return {
        "yours": yours,
        "everyone": everyone,
        "read_count": read_count,
        "story_count": story_count,
        "days": NEWS_BIAS_DAYS,
    }
