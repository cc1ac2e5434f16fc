"""Reads for the desk's inbox."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from sources.models import Article

from .engine.model import Tuning
from .models import Suggestion


def inbox_articles():
    """Articles in no story with a suggestion waiting, and those published within the
    engine's window that were never given one (nothing seemed to fit, or the desk's task
    has not run yet), newest first; each article's waiting suggestions, stories best first
    and then its proposed new story, are in `waiting` (empty for the others).

    An article whose suggestions were all dismissed, or that an editor said belongs in no
    story, holds dismissed rows and is left out: an editor has seen it.
    """
    waiting = Suggestion.objects.open()
    since = timezone.now() - timedelta(hours=Tuning().window_hours)
    unseen = Q(published_at__gte=since) & ~Exists(Suggestion.objects.filter(article=OuterRef("pk")))
    # A proposed new story has no score of its own (0), so it comes after the stories.
    shown = waiting.select_related("story").order_by("-score", "pk")
    return (
        Article.objects.filter(in_story=False)
        .filter(Exists(waiting.filter(article=OuterRef("pk"))) | unseen)
        .select_related("source")
        .prefetch_related(Prefetch("suggestions", queryset=shown, to_attr="waiting"))
        .order_by("-published_at", "-pk")
    )


@dataclass
class ProposedStory:
    """The articles of one inbox page that share a proposed new story. `size` and
    `outlets` count the whole group still waiting, on this page or another."""

    group: str
    proposal: Suggestion
    size: int = 0
    outlets: int = 0
    articles: list = field(default_factory=list)


def group_by_proposal(articles: list[Article]) -> tuple[list[ProposedStory], list[Article]]:
    """Split a page of inbox_articles() into the proposed stories of two or more waiting
    articles (in page order) and the other articles; one query whatever the page holds."""
    proposed: dict[str, ProposedStory] = {}
    for article in articles:
        proposal = next((s for s in article.waiting if s.story_id is None), None)
        if proposal is not None:
            entry = proposed.setdefault(proposal.group, ProposedStory(proposal.group, proposal))
            entry.articles.append(article)
    sizes = (
        Suggestion.objects.open()
        .filter(story__isnull=True, group__in=list(proposed), article__in_story=False)
        .values("group")
        .annotate(
            size=Count("article", distinct=True),
            outlets=Count("article__source", distinct=True),
        )
    )
    for row in sizes:  # no query when the page proposes nothing
        proposed[row["group"]].size, proposed[row["group"]].outlets = row["size"], row["outlets"]
    groups = [entry for entry in proposed.values() if entry.size >= 2]
    grouped = {article.pk for entry in groups for article in entry.articles}
    return groups, [article for article in articles if article.pk not in grouped]
