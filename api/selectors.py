"""The API's reads: which rows a user may see, with what the serializers need, in few queries."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from sources.models import Article, Factuality, Source
from stories.coverage import bias_split, mix_entries
from stories.models import KeyPoint, Story

FACTUALITY_VALUES = [value for value, _ in Factuality.choices]


def visible_stories(*, editor: bool):
    """Editors see drafts too; everyone else only what is published."""
    return Story.objects.all() if editor else Story.objects.published()


def is_public(story: Story) -> bool:
    """The test StoryQuerySet.published() applies, for one story already loaded."""
    return (
        story.is_published
        and story.published_at is not None
        and story.published_at <= timezone.now()
    )


def _factuality_counts() -> dict:
    """Covering sources per factuality level, as coverage_for() counts them ("fact_<n>")."""
    source = "story_articles__article__source"
    counts = {
        f"fact_{value}": Count(source, distinct=True, filter=Q(**{f"{source}__factuality": value}))
        for value in FACTUALITY_VALUES
    }
    counts["fact_none"] = Count(
        source, distinct=True, filter=Q(**{f"{source}__factuality__isnull": True})
    )
    return counts


def story_list(*, editor: bool, with_factuality: bool):
    """Stories with their counts and key points: three queries per page, whatever its size."""
    stories = (
        visible_stories(editor=editor)
        .with_counts()
        .prefetch_related(
            Prefetch("key_points", queryset=KeyPoint.objects.order_by("position", "id"))
        )
        .order_by("-published_at", "-pk")
    )
    if with_factuality:
        stories = stories.annotate(**_factuality_counts())
    return stories


def summarise_coverage(stories, *, with_factuality: bool):
    """Give each story of a story_list() page its bias_split (and factuality_mix), from
    the annotations: no query, and the same figures coverage_for() computes."""
    for story in stories:
        story.bias_split = bias_split(
            left=story.left_count,
            center=story.center_count,
            right=story.right_count,
            total=story.source_count,
        )
        if with_factuality:
            row = {
                f"fact_{key}": getattr(story, f"fact_{key}") for key in [*FACTUALITY_VALUES, "none"]
            }
            story.factuality_mix = mix_entries(row, "fact", Factuality.choices, "Not rated")
    return stories


def story_detail(*, editor: bool):
    return visible_stories(editor=editor).prefetch_related("key_points")


def story_articles(story: Story):
    return article_list().filter(story_link__story=story)


def article_list():
    """Articles with their outlet and story, joined in the one query."""
    return Article.objects.select_related("source", "story_link__story").order_by(
        "-published_at", "-id"
    )


def source_list():
    return Source.objects.select_related("owner").order_by("name", "pk")
