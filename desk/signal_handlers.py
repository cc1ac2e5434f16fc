"""The desk suggests stories for what ingestion stores; connected in DeskConfig.ready()."""

from sources.signals import articles_changed, articles_stored

from .tasks import queue_suggestions


def suggest_for_ingested(sender, article_ids, **kwargs):
    """Ingestion stored these articles, or changed them (sent after commit); suggest
    stories for them."""
    queue_suggestions(article_ids)


def connect() -> None:
    articles_stored.connect(suggest_for_ingested, dispatch_uid="desk-suggest-stored")
    articles_changed.connect(suggest_for_ingested, dispatch_uid="desk-suggest-changed")
