"""The desk suggests stories for what ingestion stores; connected in DeskConfig.ready()."""

from datetime import timedelta

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from sources.models import Article
from sources.signals import articles_changed, articles_stored
from stories.models import Story, StoryArticle
from stories.signals import coverage_changed

from .engine.model import Tuning
from .models import EngineVersion, Suggestion
from .services import NO_STORY
from .tasks import queue_suggestions

# Fields of an article the suggestion engine reads.
ENGINE_FIELDS = frozenset({"title", "summary", "source", "source_id", "published_at", "fetched_at"})


def suggest_for_ingested(sender, article_ids, **kwargs):
    """Ingestion stored these articles, or changed them (sent after commit); suggest
    stories for them."""
    queue_suggestions(article_ids)


def regrouped(sender, using="default", **kwargs):
    """Articles left a story or moved to another, or a story went: the engines of the
    workers cannot apply that as it comes, so they rebuild (desk/engine_state.py)."""
    EngineVersion.bump(using)


def link_deleted(sender, instance, origin=None, using="default", **kwargs):
    # A deleted story or article raises the number itself, once for all its links.
    if not isinstance(origin, Story | Article):
        EngineVersion.bump(using)
    if not isinstance(origin, Article):
        # Out of its story, the article waits in the inbox again, even if an editor once
        # said it belongs in no story (before filing it after all).
        Suggestion.objects.using(using).filter(
            article_id=instance.article_id, story__isnull=True, group=NO_STORY
        ).delete()


def link_saved(sender, created=False, using="default", **kwargs):
    # A new link is read by id as it comes; one changed in place is not.
    if not created:
        EngineVersion.bump(using)


def article_saved(sender, instance, created=False, update_fields=None, using="default", **kwargs):
    if not created and (update_fields is None or ENGINE_FIELDS & set(update_fields)):
        EngineVersion.bump(using)


def article_deleted(sender, instance, using="default", **kwargs):
    """Only an article the engines may still hold: purging the archive costs nothing."""
    held_since = timezone.now() - timedelta(hours=2 * Tuning().window_hours)
    if instance.published_at is None or instance.published_at >= held_since:
        EngineVersion.bump(using)


def stories_regrouped(sender, story_ids, **kwargs):
    # An attach that moved articles from other stories, a merge or a split names them all;
    # None is any story.
    if story_ids is None or len(set(story_ids)) > 1:
        EngineVersion.bump()


def connect() -> None:
    post_delete.connect(link_deleted, sender=StoryArticle, dispatch_uid="desk-engine-unlinked")
    post_save.connect(link_saved, sender=StoryArticle, dispatch_uid="desk-engine-relinked")
    post_delete.connect(regrouped, sender=Story, dispatch_uid="desk-engine-story-deleted")
    post_save.connect(article_saved, sender=Article, dispatch_uid="desk-engine-article-saved")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="desk-engine-article-deleted")
    coverage_changed.connect(stories_regrouped, dispatch_uid="desk-engine-regrouped")
    articles_stored.connect(suggest_for_ingested, dispatch_uid="desk-suggest-stored")
    articles_changed.connect(suggest_for_ingested, dispatch_uid="desk-suggest-changed")
