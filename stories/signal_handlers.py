"""Recount the stories whose counters a save or a delete outside the story services changed.

Connected in StoriesConfig.ready(). The services recount after their bulk writes, which
send no model signals; these handlers cover the rest: a link between a story and an
article saved or deleted (also by the cascade that deletes an article or a source), an
article moved to another source, a source's bias changed. They run inside the writer's
transaction (deletions and the admin's views always have one; a bare save() in autocommit
mode is its own). Ingestion's bulk updates change neither an article's story nor its source;
a headline or summary they change may change which copy of a text leads it in its story
(StoryArticle.lead), which `articles_changed` (sent after commit) has set right.
A key point saved or deleted outside set_key_points refreshes its story's search text.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from sources.models import Article, Source
from sources.signals import articles_changed

from .counters import recount_stories, sync_leads
from .models import KeyPoint, StoryArticle
from .placement import mark_placed, mark_unplaced
from .search_text import refresh_search_text

# While a deletion runs: {id(origin): ids of the stories losing links} and
# {id(origin): ids of the articles losing them}, per thread.
_deleting = threading.local()
# What _stored() gives for a new row, or a field the save leaves alone.
UNCHANGED = object()


def _stored(instance, field: str, update_fields):
    """The field's value in the database before this save, or UNCHANGED."""
    if instance._state.adding or (update_fields is not None and field not in update_fields):
        return UNCHANGED
    column = instance._meta.get_field(field).attname
    row = type(instance)._base_manager.filter(pk=instance.pk).values_list(column).first()
    return UNCHANGED if row is None else row[0]


def remember_story(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before a link is saved: the story it may be leaving."""
    if not raw:
        instance._story_before = _stored(instance, "story", update_fields)


def link_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        before = getattr(instance, "_story_before", UNCHANGED)
        recount_stories({instance.story_id} | ({before} if before is not UNCHANGED else set()))
        mark_placed([instance.article_id])


def _pending() -> dict:
    if not hasattr(_deleting, "stories"):
        _deleting.stories = {}
    return _deleting.stories


def _pending_articles() -> dict:
    if not hasattr(_deleting, "articles"):
        _deleting.articles = {}
    return _deleting.articles


def link_deleting(sender, instance, origin=None, **kwargs):
    _pending().setdefault(id(origin), set()).add(instance.story_id)
    _pending_articles().setdefault(id(origin), set()).add(instance.article_id)


def link_deleted(sender, instance, origin=None, **kwargs):
    """Recount once per deletion: Django deletes every link it collected before it sends
    the first post_delete, so the first one recounts the stories of all of them, and
    returns all of their articles to the inbox."""
    pending = _pending()
    if instance.story_id in pending.get(id(origin), ()):
        recount_stories(pending.pop(id(origin)))
        mark_unplaced(_pending_articles().pop(id(origin), ()))


# An article's fields that decide its story's counters (the source) or which of its copies
# leads them (the copy key and the publication time).
_COUNTED = ("source_id", "copy_key", "published_at")


def remember_counted(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before an article is saved: the source, copy key and time it may be leaving (one
    query, none for a new article or a save that writes none of them)."""
    instance._counted_before = None
    if raw or instance._state.adding:
        return
    names = {"source", "source_id", "copy_key", "published_at", "title", "summary"}
    if update_fields is not None and not names & set(update_fields):
        return
    instance._counted_before = (
        type(instance)._base_manager.filter(pk=instance.pk).values_list(*_COUNTED).first()
    )


def article_saved(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_counted_before", None)
    if raw or before is None or before == tuple(getattr(instance, f) for f in _COUNTED):
        return
    stories = StoryArticle.objects.filter(article=instance).values_list("story_id", flat=True)
    if before[0] != instance.source_id:
        recount_stories(stories)
    else:
        sync_leads(stories)


def leads_of_changed_articles(sender, article_ids, **kwargs):
    """Ingestion changed these articles (sent after commit): a new headline or summary is
    a new copy key, so the stories they are in may show another copy first."""
    with transaction.atomic():
        sync_leads(
            StoryArticle.objects.filter(article_id__in=article_ids)
            .values_list("story_id", flat=True)
            .distinct()
        )


def remember_bias(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before a source is saved: its bias, whose bucket the stories it covers count."""
    if not raw:
        instance._bias_before = _stored(instance, "bias", update_fields)


def source_saved(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_bias_before", UNCHANGED)
    if not raw and before is not UNCHANGED and before != instance.bias:
        covered = StoryArticle.objects.filter(article__source=instance)
        recount_stories(covered.values_list("story_id", flat=True).distinct())


def key_point_saved(sender, instance, raw=False, **kwargs):
    """A key point saved outside set_key_points (the admin's inline): refresh the story's
    search text. Its story never changes (the inline shows no story field)."""
    if not raw:
        refresh_search_text([instance.story_id])


def key_point_deleting(sender, instance, origin=None, **kwargs):
    _pending_points().setdefault(id(origin), set()).add(instance.story_id)


def key_point_deleted(sender, instance, origin=None, **kwargs):
    """Refresh once per deletion, as link_deleted recounts once."""
    pending = _pending_points()
    if instance.story_id in pending.get(id(origin), ()):
        refresh_search_text(pending.pop(id(origin)))


def _pending_points() -> dict:
    if not hasattr(_deleting, "key_point_stories"):
        _deleting.key_point_stories = {}
    return _deleting.key_point_stories


def connect() -> None:
    handlers = [
        (pre_save, remember_story, StoryArticle),
        (post_save, link_saved, StoryArticle),
        (pre_delete, link_deleting, StoryArticle),
        (post_delete, link_deleted, StoryArticle),
        (pre_save, remember_counted, Article),
        (post_save, article_saved, Article),
        (pre_save, remember_bias, Source),
        (post_save, source_saved, Source),
        (post_save, key_point_saved, KeyPoint),
        (pre_delete, key_point_deleting, KeyPoint),
        (post_delete, key_point_deleted, KeyPoint),
    ]
    for signal, handler, model in handlers:
        signal.connect(handler, sender=model, dispatch_uid=f"story-counters-{handler.__name__}")
    articles_changed.connect(leads_of_changed_articles, dispatch_uid="story-copies-changed")
