"""Signals the sources app sends for writes that bypass post_save."""

from django.dispatch import Signal

# Sent after commit by ingestion's bulk updates of existing articles, with
# article_ids: the articles whose stored headline, summary or other fields changed.
articles_changed = Signal()
