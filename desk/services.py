"""Every write to the desk's suggestions: storing what the engine proposes, and an
editor's attach, dismiss or "no story for this"."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone

from sources.models import Article
from stories.models import Story, StoryArticle
from stories.services import attach_articles, create_story

from .models import Suggestion
from .suggestions import ArticleSuggestions

# Stories shown per article; the engine's own cut.
STORIES_PER_ARTICLE = 3

# The `group` of the dismissed row that records an editor's "no story for this": the
# article belongs in no story, so it leaves the inbox and is suggested nothing again.
# Proposals are named "new-<id>", so the two never meet.
NO_STORY = "no-story"

GONE = (
    "This suggestion is no longer there: its story was deleted, or the article was "
    "attached or the suggestion dismissed meanwhile. Nothing was attached."
)


@transaction.atomic
def store_suggestions(results: list[ArticleSuggestions]) -> None:
    """Replace each article's waiting suggestions with these, and give every article of a
    proposed new story that still waits the proposal too.

    The first articles of a new event came in before it was a group, so they had no
    proposal of their own; given it once the group forms, the group shows and is created
    as a whole. Dismissed rows are kept, and the unique constraints then keep the same
    story (or the same proposed group) from being suggested to that article again; they
    also keep one row of each when two runs store the same suggestions at once. An article
    an editor said belongs in no story (`no_story_for`) is given nothing. Five queries
    (the inserts in batches), not one per article.
    """
    article_ids = [result.article.pk for result in results]
    Suggestion.objects.open().filter(article_id__in=article_ids).delete()
    proposals = _proposals(results)
    turned_down = set(
        Suggestion.objects.filter(
            article_id__in={*article_ids, *proposals},
            story__isnull=True,
            dismissed_at__isnull=False,
        ).values_list("article_id", "group")
    )
    settled = {article_id for article_id, group in turned_down if group == NO_STORY}
    proposed = {
        pk: proposal
        for pk, proposal in proposals.items()
        if pk not in settled and (pk, proposal.group) not in turned_down
    }
    if proposed:
        _keep_one_proposal(proposed)
    rows = [
        Suggestion(article=result.article, story=s.story, score=s.score, reason=s.reason)
        for result in results
        if result.article.pk not in settled
        for s in result.stories[:STORIES_PER_ARTICLE]
    ]
    # Rows an article holds already (the same group) are skipped by the constraint.
    rows += [
        Suggestion(article_id=pk, group=proposal.group, reason=proposal.reason)
        for pk, proposal in proposed.items()
    ]
    Suggestion.objects.bulk_create(rows, ignore_conflicts=True)


@dataclass(frozen=True)
class _Proposal:
    group: str
    reason: str


def _proposals(results: list[ArticleSuggestions]) -> dict[int, _Proposal]:
    """Article id -> the proposed new story it belongs to, for every article of every
    proposal that is in no story; results come in time order, so the latest wins."""
    proposals = {}
    for result in results:
        if not result.proposal:
            continue
        # Named by its first article, which stays the same as the group grows.
        proposal = _Proposal(f"new-{min(a.pk for a in result.proposal)}", result.proposal_reason)
        members = [a for a in result.proposal if not a.in_story]
        for article in [result.article, *members]:
            proposals[article.pk] = proposal
    return proposals


def _keep_one_proposal(proposed: dict[int, _Proposal]) -> None:
    """Drop the waiting proposals of other groups these articles hold, and bring the
    reason of those of the same group up to date in place: an editor's page names those
    rows, so they keep their ids while the group grows. Two queries."""
    by_group: dict[str, list[int]] = {}
    for pk, proposal in proposed.items():
        by_group.setdefault(proposal.group, []).append(pk)
    held = Suggestion.objects.open().filter(article_id__in=list(proposed), story__isnull=True)
    elsewhere = reduce(or_, (Q(article_id__in=ids) & ~Q(group=g) for g, ids in by_group.items()))
    held.filter(elsewhere).delete()
    reasons = {proposal.group: proposal.reason for proposal in proposed.values()}
    held.filter(group__in=list(reasons)).update(
        reason=Case(
            *(When(group=g, then=Value(r)) for g, r in reasons.items()),
            default=F("reason"),
            output_field=TextField(),
        )
    )


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


@transaction.atomic
def no_story_for(*, article_id: int) -> int:
    """The editor's "no story for this": dismiss every waiting suggestion of the article
    at once, and remember that it belongs in no story (a dismissed row with the group
    NO_STORY), so that it leaves the inbox even when nothing was suggested and is
    suggested nothing again; how many suggestions were dismissed. Raise ValidationError,
    changing nothing, when the article is gone or in a story already."""
    # Locked, so an editor attaching it at the same moment either wins or waits.
    article = Article.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise ValidationError("This article was deleted meanwhile; nothing was changed.")
    placed = StoryArticle.objects.filter(article=article).select_related("story").first()
    if placed is not None:
        raise ValidationError(
            f"“{article.title}” is in the story “{placed.story.title}” already; nothing was "
            "changed."
        )
    now = timezone.now()
    dismissed = Suggestion.objects.open().filter(article=article).update(dismissed_at=now)
    Suggestion.objects.bulk_create(
        [Suggestion(article=article, group=NO_STORY, dismissed_at=now)], ignore_conflicts=True
    )
    return dismissed
