"""Every write to the desk's suggestions: storing what the engine proposes, and an
editor's attach or dismiss."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sources.models import Article
from stories.models import Story, StoryArticle
from stories.services import attach_articles, create_story

from .models import Suggestion
from .suggestions import ArticleSuggestions

# Stories shown per article; the engine's own cut.
STORIES_PER_ARTICLE = 3

GONE = (
    "This suggestion is no longer there: its story was deleted, or the article was "
    "attached or the suggestion dismissed meanwhile. Nothing was attached."
)


@transaction.atomic
def store_suggestions(results: list[ArticleSuggestions]) -> None:
    """Replace each article's waiting suggestions with these.

    Dismissed ones are kept, and the unique constraints then keep the same story (or the
    same proposed group) from being suggested to that article again; they also keep one
    row of each when two runs store the same suggestions at once.
    """
    article_ids = [result.article.pk for result in results]
    Suggestion.objects.open().filter(article_id__in=article_ids).delete()
    rows = [row for result in results for row in _rows(result)]
    Suggestion.objects.bulk_create(rows, ignore_conflicts=True)


def _rows(result: ArticleSuggestions) -> list[Suggestion]:
    article = result.article
    rows = [
        Suggestion(article=article, story=s.story, score=s.score, reason=s.reason)
        for s in result.stories[:STORIES_PER_ARTICLE]
    ]
    if result.proposal:
        # Named by its first article, which stays the same as the group grows.
        group = f"new-{min(a.pk for a in result.proposal)}"
        rows.append(Suggestion(article=article, group=group, reason=result.proposal_reason))
    return rows


@transaction.atomic
def accept_suggestion(*, suggestion_id: int, by=None) -> Story:
    """Attach the suggestion's article to its story and drop the article's suggestions;
    the story. Raise ValidationError when the suggestion is gone or the article is in a
    story already (one editor's attach is never undone by another's)."""
    suggestion = (
        Suggestion.objects.open()
        .filter(pk=suggestion_id, story__isnull=False)
        .select_related("story")
        .first()
    )
    if suggestion is None:
        raise ValidationError(GONE)
    # Locks the article, so two editors accepting for it at once attach it once.
    article = Article.objects.select_for_update().get(pk=suggestion.article_id)
    placed = StoryArticle.objects.filter(article=article).select_related("story").first()
    if placed is not None:
        raise ValidationError(
            f"“{article.title}” is already in the story “{placed.story.title}”; nothing was "
            "attached. Move it from that story if it belongs here instead."
        )
    attach_articles(story=suggestion.story, articles=[article], by=by)
    Suggestion.objects.open().filter(article=article).delete()
    return suggestion.story


@transaction.atomic
def create_story_from_proposal(*, suggestion_id: int, by=None) -> Story:
    """A draft story of every article still waiting in the suggestion's proposed group,
    named after the group's first headline (the editor renames it); the story. Raise
    ValidationError when the proposal is gone or none of its articles is free any more."""
    proposal = Suggestion.objects.open().filter(pk=suggestion_id, story__isnull=True).first()
    if proposal is None:
        raise ValidationError(GONE)
    members = Suggestion.objects.open().filter(group=proposal.group, story__isnull=True)
    ids = sorted(set(members.values_list("article_id", flat=True)))
    # Locked, so that an editor attaching one of them meanwhile waits for this, then sees it.
    free = list(
        Article.objects.select_for_update().filter(pk__in=ids, in_story=False).order_by("pk")
    )
    if not free:
        raise ValidationError(
            "Every article of this proposed story is in a story already; nothing was created."
        )
    story = create_story(title=(free[0].title or "New story")[:300], articles=free, by=by)
    Suggestion.objects.open().filter(article__in=free).delete()
    story.articles_created = len(free)
    return story


def dismiss_suggestion(*, suggestion_id: int) -> bool:
    """Turn the suggestion down for good; False when it was gone already."""
    dismissed = Suggestion.objects.open().filter(pk=suggestion_id)
    return dismissed.update(dismissed_at=timezone.now()) == 1
