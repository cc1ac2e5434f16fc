"""Readers following topics: the writes behind the Follow and Unfollow buttons."""

from stories.models import Topic

from .models import TopicFollow


def follow_topic(*, user, topic: Topic) -> bool:
    """Make user follow topic; True if they did not already (following twice changes nothing).

    get_or_create falls back to reading the row when a concurrent request inserted it,
    and the unique constraint guarantees there is only ever one.
    """
    _, created = TopicFollow.objects.get_or_create(user=user, topic=topic)
    return created


def unfollow_topic(*, user, topic: Topic) -> bool:
    """Stop user following topic; True if they were following it."""
    deleted, _ = TopicFollow.objects.filter(user=user, topic=topic).delete()
    return bool(deleted)
