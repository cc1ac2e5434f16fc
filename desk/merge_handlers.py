"""What the desk keeps about a story follows it into a merge; connected in DeskConfig.ready().

merge_stories (stories.services) moves the absorbed story's articles into the survivor
and deletes the absorbed story, which would take the desk's rows about it along.
"""

from .models import AutoAttachment, Suggestion


def keep_desk_records_on_merge(sender, survivor, absorbed, **kwargs):
    """Waiting suggestions of the absorbed story now suggest the survivor (unless the
    article has one for the survivor already, waiting or turned down), and automatic
    attachments to it stay on record, and can be undone, in the survivor. Suggestions an
    editor turned down for the absorbed story go with it. Three statements."""
    has_survivor = Suggestion.objects.filter(story=survivor).values("article_id")
    waiting = Suggestion.objects.open().filter(story=absorbed)
    waiting.filter(article_id__in=has_survivor).delete()
    waiting.update(story=survivor)
    AutoAttachment.objects.filter(story=absorbed).update(story=survivor)


def connect() -> None:
    from stories.signals import stories_merged

    stories_merged.connect(keep_desk_records_on_merge, dispatch_uid="desk-keep-records-on-merge")
