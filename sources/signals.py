"""Signals the sources app sends for writes that bypass post_save."""

from django.dispatch import Signal

# Sent after commit by ingestion's bulk updates of existing articles, with
# article_ids: the articles whose stored headline, summary or other fields changed.
articles_changed = Signal()

# Sent after commit by ingestion, with article_ids: the articles it has just inserted.
articles_stored = Signal()

# Sent after commit by ingestion, with article_ids: articles whose picture is new (new
# articles with an image, or a changed image), whose thumbnails are to be made.
pictures_found = Signal()
