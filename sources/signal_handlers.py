"""What the sources app does when its own signals fire; connected in SourcesConfig.ready()."""

from .signals import pictures_found
from .tasks import queue_thumbnails


def make_thumbnails(sender, article_ids, **kwargs):
    """Ingestion stored articles with new pictures (after commit): queue their thumbnails."""
    queue_thumbnails(article_ids)


def connect() -> None:
    pictures_found.connect(make_thumbnails, dispatch_uid="sources-make-thumbnails")
