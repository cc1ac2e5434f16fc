"""Cached pages and story digests go stale when anything they show changes; these handlers say so.

Connected in WebConfig.ready(). One global version bump per change is cheap
(one UPDATE of one row) and cannot miss a page: stories, their key points and
articles, and the sources and owners that cover them all appear on several pages
at once. The version is in the database, so a bump is not lost when the cache is
down (web/cache.py).

Story page digests (web/digest.py) are kept per story, so a change outdates only
the digests of the stories it touches: those of an article, a link, a key point or an
editor's perspective; every story an outlet or its owner covers, or a topic tags;
a story's own and those of the stories that list it as related.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from desk.models import RelatedStory
from desk.signals import related_changed
from sources.models import Article, Owner, Source
from sources.signals import articles_changed
from stories.freshness import bump_content_version
from stories.models import KeyPoint, Perspective, Story, StoryArticle, StorySource, Topic
from stories.signals import coverage_changed

from . import digest

WATCHED_MODELS = (Story, KeyPoint, StoryArticle, Perspective, Article, Source, Owner, Topic)
# Deleting these cascades to the rows that name their stories: the stories are looked
# up before the delete.
LOOKED_UP_BEFORE_DELETE = (Story, Article, Source, Owner, Topic)
Tagging = Story.topics.through


def stories_of(instance) -> list[int]:
    """The stories whose page digests show this row."""
    if isinstance(instance, Story):
        listing = RelatedStory.objects.filter(related_id=instance.pk)
        return [instance.pk, *listing.values_list("story_id", flat=True)]
    if isinstance(instance, Topic):
        return list(Tagging.objects.filter(topic_id=instance.pk).values_list("story_id", flat=True))
    if isinstance(instance, StoryArticle | Perspective | KeyPoint):
        return [instance.story_id]
    if isinstance(instance, Article):
        links = StoryArticle.objects.filter(article_id=instance.pk)
        return list(links.values_list("story_id", flat=True))
    if isinstance(instance, Source):
        covered = StorySource.objects.filter(source_id=instance.pk)
        return list(covered.values_list("story_id", flat=True))
    if isinstance(instance, Owner):
        covered = StorySource.objects.filter(source__owner_id=instance.pk)
        return list(covered.values_list("story_id", flat=True).distinct())
    return []


def changed(story_ids: list[int] | None, using=None) -> None:
    """Stories changed in the current transaction (None: any story).

    Their digests are emptied now, in the transaction; once it commits, the page
    version is bumped and the digests are outdated under it. Not before: a reader
    between the bump and the commit would cache the old state again under the new version.
    """
    if story_ids is None:
        digest.forget_all()
    elif story_ids:
        digest.forget(story_ids)

    def committed():
        version = bump_content_version()
        if story_ids is None:
            digest.outdate_all(version)
        elif story_ids:
            digest.outdate(story_ids, version)

    transaction.on_commit(committed, using=using)


def row_saved(sender, instance, using=None, **kwargs):
    changed(stories_of(instance), using=using)


def row_deleted(sender, instance, using=None, **kwargs):
    if not isinstance(instance, LOOKED_UP_BEFORE_DELETE):  # else done by row_deleting
        changed(stories_of(instance), using=using)


def row_deleting(sender, instance, using=None, **kwargs):
    changed(stories_of(instance), using=using)


def coverage_recounted(sender, story_ids=None, using=None, **kwargs):
    """Articles moved: these stories' digests, and those listing them as related (with
    their counts of sources)."""
    if story_ids is None:
        changed(None, using=using)
        return
    touched = list(story_ids)
    for batch in digest.batches(story_ids):
        listing = RelatedStory.objects.filter(related_id__in=batch)
        touched += listing.values_list("story_id", flat=True)
    changed(touched, using=using)


def story_topics_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """A story was tagged with topics or untagged (from either side of the relation).

    From a story's side, that story; from a topic's, the stories added or removed, or,
    when the topic is cleared of all, those it tagged (looked up before the clear).
    """
    if not reverse:
        if action.startswith("post_"):
            changed([instance.pk], using=using)
    elif action == "pre_clear":
        changed(stories_of(instance), using=using)
    elif action in ("post_add", "post_remove"):
        changed(list(pk_set or ()), using=using)


def storied_articles_changed(sender, article_ids, **kwargs):
    """Ingestion updated articles in bulk; pages change only if one of them is in a story.

    Sent after commit already. New articles reach source pages when their cache
    entries expire, so busy feeds do not empty the whole page cache every minute.
    """
    story_ids = set()
    for batch in digest.batches(article_ids):
        links = StoryArticle.objects.filter(article_id__in=batch)
        story_ids.update(links.values_list("story_id", flat=True))
    if story_ids:
        digest.outdate(story_ids, bump_content_version())


def related_stories_changed(sender, story_ids, using=None, **kwargs):
    changed(list(story_ids), using=using)


def connect() -> None:
    for model in WATCHED_MODELS:
        label = model._meta.label_lower
        post_save.connect(row_saved, sender=model, dispatch_uid=f"pages-saved-{label}")
        post_delete.connect(row_deleted, sender=model, dispatch_uid=f"pages-deleted-{label}")
    for model in LOOKED_UP_BEFORE_DELETE:
        label = model._meta.label_lower
        pre_delete.connect(row_deleting, sender=model, dispatch_uid=f"pages-deleting-{label}")
    m2m_changed.connect(story_topics_changed, sender=Tagging, dispatch_uid="pages-story-topics")
    coverage_changed.connect(coverage_recounted, dispatch_uid="pages-coverage-changed")
    articles_changed.connect(storied_articles_changed, dispatch_uid="pages-articles-ingested")
    related_changed.connect(related_stories_changed, dispatch_uid="pages-related-changed")
