"""The API's reads: which rows a user may see, with what the serializers need, in few queries."""

from django.db.models import Prefetch

from sources.models import Article, Source
from stories.coverage import factuality_counts, factuality_mix, split_of
from stories.models import KeyPoint, Story, Topic


def visible_stories(*, editor: bool):
    """Editors see drafts too; everyone else only what is published."""
    return Story.objects.all() if editor else Story.objects.published()


def story_list(*, editor: bool):
    """Stories with their counts, key points and topics: four queries per page, whatever its
    size."""
    return (
        visible_stories(editor=editor)
        .prefetch_related(
            Prefetch("key_points", queryset=KeyPoint.objects.order_by("position", "id")),
            "topics",
        )
        .order_by("-published_at", "-pk")
    )


def summarise_coverage(stories, *, with_factuality: bool):
    """Give each story of a story_list() page its bias_split (and factuality_mix).

    The split comes from the stored counters, with no query. The factuality mix
    takes one aggregate over the page's stories only: annotated on the list, it
    would be computed for every story before the page is cut.
    """
    mixes = _factuality_mixes([story.pk for story in stories]) if with_factuality else {}
    for story in stories:
        story.bias_split = split_of(story)
        if with_factuality:
            story.factuality_mix = mixes[story.pk]
    return stories


def _factuality_mixes(story_ids: list[int]) -> dict:
    """Each story's factuality mix, as coverage_for() computes it, in one query."""
    rows = (
        Story.objects.filter(pk__in=story_ids)
        .values("pk")
        .annotate(**factuality_counts(sources="story_articles__article__source"))
    )
    return {row["pk"]: factuality_mix(row) for row in rows}


def story_detail(*, editor: bool):
    return visible_stories(editor=editor).prefetch_related("key_points", "topics")


def story_articles(story: Story):
    return newest_in_story(article_list(), story)


def newest_in_story(articles, story):
    """The articles of a story (a Story, or an expression giving its id), newest first by
    the dates copied onto their links: the index of the links by story and date then gives
    a page without reading the story's other articles, which ordered by the articles' own
    dates are all read and sorted for each page."""
    return articles.filter(story_link__story=story).order_by(
        "-story_link__published_at", "-story_link__article_id"
    )


def article_list():
    """Articles with their outlet and story, joined in the one query."""
    return Article.objects.select_related("source", "story_link__story").order_by(
        "-published_at", "-id"
    )


def source_list():
    return Source.objects.select_related("owner").order_by("name", "pk")


def topic_list():
    """Topics by name, each with how many published stories it has."""
    return Topic.objects.with_story_counts().order_by("name", "pk")
