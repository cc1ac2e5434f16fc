"""Blindspot: published stories that one side of the spectrum barely covers."""

from django.conf import settings
from django.core.paginator import Page
from django.db.models import BooleanField, Case, F, Q, Value, When

from stories.models import Story

from .cards import teasers
from .pages import STORIES_PER_PAGE, StoryListPaginator


def blindspot_threshold() -> int:
    """Percent of rated sources below which a side has a blindspot."""
    return settings.NEWSROOM_BLINDSPOT_THRESHOLD


def blindspot_stories(threshold: int | None = None):
    """Published stories where the left's or the right's share of rated sources is below
    the threshold (percent), annotated blind_left / blind_right; all in the database."""
    threshold = blindspot_threshold() if threshold is None else threshold
    rated = F("left_count") + F("center_count") + F("right_count")
    below = {
        side: Q(**{f"{side}_scaled__lt": F("rated") * threshold}) for side in ("left", "right")
    }
    return (
        Story.objects.published()
        .alias(
            rated=rated,
            left_scaled=F("left_count") * 100,
            right_scaled=F("right_count") * 100,
        )
        .filter(rated__gt=0)
        .filter(below["left"] | below["right"])
        .annotate(
            **{
                f"blind_{side}": Case(
                    When(below[side], then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
                for side in ("left", "right")
            }
        )
    )


def blindspot_page(*, side: str, page: int, threshold: int | None = None) -> Page:
    """A page of blindspot stories as StoryTeasers, newest first (two queries); the count
    stops at StoryListPaginator.limit."""
    stories = blindspot_stories(threshold)
    if side != "all":
        stories = stories.filter(**{f"blind_{side}": True})
    stories = stories.order_by("-published_at", "-id").with_picture()
    result = StoryListPaginator(stories, STORIES_PER_PAGE).get_page(page)
    result.object_list = teasers(result.object_list)
    return result
