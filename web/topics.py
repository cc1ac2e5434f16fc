"""What the topic pages read: the topics, a topic's stories, a story's topics, a reader's follows.

Each read takes a fixed number of queries, whatever the number of topics, stories or follows.
"""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Exists, OuterRef
from django.http import Http404

from accounts.models import TopicFollow
from stories.models import Story, Topic

from .pages import teaser_page


@dataclass(frozen=True)
class TopicRef:
    name: str
    slug: str


@dataclass(frozen=True)
class TopicSummary:
    name: str
    slug: str
    description: str
    story_count: int  # published stories only


def topic_list() -> list[TopicSummary]:
    """Every topic, by name, with how many published stories it has (one query)."""
    # Ordered here: Meta.ordering does not apply to a query with GROUP BY.
    rows = (
        Topic.objects.with_story_counts()
        .order_by("name", "pk")
        .values("name", "slug", "description", "story_count")
    )
    return [TopicSummary(**row) for row in rows]


def topic_page(*, slug: str, page: int) -> tuple[TopicSummary, Page]:
    """The topic and a page of its published stories as StoryTeasers (four queries).

    The topic's story_count is the page's count, so it costs no query of its own.
    """
    row = Topic.objects.filter(slug=slug).values("id", "name", "slug", "description").first()
    if row is None:
        raise Http404("No such topic")
    stories = teaser_page(Story.objects.published().filter(topics=row.pop("id")), page=page)
    return TopicSummary(**row, story_count=stories.paginator.count), stories


def story_topics(story: Story) -> list[TopicRef]:
    """The topics a story is tagged with, by name (one query)."""
    return [TopicRef(*row) for row in story.topics.values_list("name", "slug")]


def followed_topics(user) -> list[TopicRef]:
    """The topics the reader follows, by name (one query)."""
    followed = Topic.objects.filter(follows__user=user)
    return [TopicRef(*row) for row in followed.values_list("name", "slug")]


def is_following(user, slug: str) -> bool:
    """Whether the reader follows the topic with this slug (one query; False when anonymous)."""
    if not user.is_authenticated:
        return False
    return TopicFollow.objects.filter(user=user, topic__slug=slug).exists()


def for_you_page(user, *, page: int) -> Page:
    """Published stories of the topics the reader follows, newest first (three queries).

    EXISTS rather than a join: a story in two followed topics is listed once.
    """
    tagged = Story.topics.through.objects.filter(story=OuterRef("pk"), topic__follows__user=user)
    return teaser_page(Story.objects.published().filter(Exists(tagged)), page=page)
