"""Compute the related stories of a story that changed (desk/related.py), after commit;
connected in DeskConfig.ready()."""

from django.db.models.signals import post_save

from stories.models import KeyPoint, Story
from stories.signals import coverage_changed

from .tasks import queue_related


def relate_saved_story(sender, instance, raw=False, **kwargs):
    """A story saved (published, retitled, …): its related stories, and theirs, anew."""
    if not raw:
        queue_related([instance.pk])


def relate_story_of_key_point(sender, instance, raw=False, **kwargs):
    if not raw:
        queue_related([instance.story_id])


def relate_covered_stories(sender, story_ids=None, **kwargs):
    """The services moved articles (a story's latest headlines are among its words); a
    recount of every story (story_ids None) changes no words."""
    if story_ids:
        queue_related(story_ids)


def connect() -> None:
    post_save.connect(relate_saved_story, sender=Story, dispatch_uid="desk-relate-story")
    post_save.connect(
        relate_story_of_key_point, sender=KeyPoint, dispatch_uid="desk-relate-key-point"
    )
    coverage_changed.connect(relate_covered_stories, dispatch_uid="desk-relate-coverage")
