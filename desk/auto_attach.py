"""Filing an article in its best suggested story without an editor, above a set score,
and an editor's undo of it.

Off unless NEWSROOM_DESK_AUTO_ATTACH_SCORE is above 0. A story an editor has taken back
to draft after publishing it (a draft with a publication date) receives nothing: the
editor is working on it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sources.models import Article
from stories.models import Story, StoryArticle
from stories.services import attach_articles, detach_articles

from .models import AutoAttachment, Suggestion


def open_to_automatic(story: Story) -> bool:
    """Published, or a draft never published; not one an editor has unpublished since."""
    return story.is_published or story.published_at is None


@transaction.atomic
def auto_attach(article_ids: list[int]) -> int:
    """File each of these articles that is still in no story in its best waiting story
    suggestion when that scores at least the setting and its story is open_to_automatic;
    how many were filed. The task passes one chunk at a time, so the queries stay bounded
    (one attach per story)."""
    threshold = settings.NEWSROOM_DESK_AUTO_ATTACH_SCORE
    if threshold <= 0:
        return 0
    candidates = (
        Suggestion.objects.open()
        .filter(article_id__in=article_ids, story__isnull=False, score__gte=threshold)
        .select_related("story")
        .order_by("article_id", "-score", "pk")
    )
    best = {}
    for suggestion in candidates:
        best.setdefault(suggestion.article_id, suggestion)
    best = {pk: s for pk, s in best.items() if open_to_automatic(s.story)}
    # Locked and re-read, so an editor filing one of them meanwhile wins and it is skipped.
    free = Article.objects.select_for_update().filter(pk__in=list(best), in_story=False)
    by_story: dict[int, list] = {}
    for article in free.order_by("pk"):
        by_story.setdefault(best[article.pk].story_id, []).append(article)
    records = []
    for articles in by_story.values():
        story = best[articles[0].pk].story
        attach_articles(story=story, articles=articles)
        records += [
            AutoAttachment(article=a, story=story, score=best[a.pk].score) for a in articles
        ]
    AutoAttachment.objects.bulk_create(records)
    return len(records)


@transaction.atomic
def undo_auto_attachment(*, pk: int) -> AutoAttachment:
    """Take the article back out of the story it was filed in automatically, and dismiss
    that suggestion so it is not filed there again; the record. Raise ValidationError,
    changing nothing, when it was undone already (or its story deleted) or when the
    article is no longer in that story."""
    record = (
        AutoAttachment.objects.select_for_update()
        .filter(pk=pk, undone_at__isnull=True)
        .select_related("article", "story")
        .first()
    )
    if record is None:
        raise ValidationError("This automatic attachment was undone already or its story deleted.")
    if not StoryArticle.objects.filter(article=record.article, story=record.story).exists():
        raise ValidationError(
            f"“{record.article.title}” is no longer in “{record.story.title}”: an editor has "
            "moved or removed it since; nothing was changed."
        )
    now = timezone.now()
    detach_articles(story=record.story, articles=[record.article])
    dismissed, _ = Suggestion.objects.get_or_create(
        article=record.article, story=record.story, defaults={"score": record.score}
    )
    Suggestion.objects.filter(pk=dismissed.pk).update(dismissed_at=now)
    record.undone_at = now
    record.save(update_fields=["undone_at"])
    return record


def recent_auto_attachments(limit: int = 20) -> list[AutoAttachment]:
    """The latest automatic attachments not undone, newest first, for the inbox page."""
    waiting = AutoAttachment.objects.filter(undone_at__isnull=True)
    return list(waiting.select_related("article__source", "story").order_by("-at", "-pk")[:limit])
