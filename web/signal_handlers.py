"""Cached pages go stale when anything they show changes; these handlers say so.

Connected in WebConfig.ready(). One global version bump per change is cheap
(one UPDATE of one row) and cannot miss a page: stories, their key points and
articles, and the sources and owners that cover them all appear on several pages
at once. The version is in the database, so a bump is not lost when the cache is
down (web/cache.py).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from sources.models import Article, Owner, Source
from sources.signals import articles_changed
from stories.freshness import bump_content_version
from stories.models import KeyPoint, Perspective, Story, StoryArticle, Topic
from stories.signals import coverage_changed

WATCHED_MODELS = (Story, KeyPoint, StoryArticle, Perspective, Article, Source, Owner, Topic)


def pages_changed(sender, using=None, **kwargs):
    """Bump the page version once the change is committed.

    Not before: a reader between the bump and the commit would cache the old
    state again under the new version.
    """
    transaction.on_commit(bump_content_version, using=using)


def story_topics_changed(sender, action, using=None, **kwargs):
    """A story was tagged with topics or untagged (from either side of the relation).

    Only once the rows are written: the pre_* actions come before any change.
    """
    if action.startswith("post_"):
        pages_changed(sender, using=using)


def storied_articles_changed(sender, article_ids, **kwargs):
    """Ingestion updated articles in bulk; pages change only if one of them is in a story.

    Sent after commit already. New articles reach source pages when their cache
    entries expire, so busy feeds do not empty the whole page cache every minute.
    """
    if StoryArticle.objects.filter(article_id__in=article_ids).exists():
        bump_content_version()


def connect() -> None:
    for model in WATCHED_MODELS:
        label = model._meta.label_lower
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-saved-{label}")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=f"pages-deleted-{label}")
    m2m_changed.connect(
        story_topics_changed, sender=Story.topics.through, dispatch_uid="pages-story-topics"
    )
    coverage_changed.connect(pages_changed, dispatch_uid="pages-coverage-changed")
    articles_changed.connect(storied_articles_changed, dispatch_uid="pages-articles-ingested")
