"""Signals the desk sends for its own writes."""

from django.dispatch import Signal

# Sent by desk.related.refresh_related inside the transaction that stores them, with
# story_ids: the stories whose stored related stories changed.
related_changed = Signal()
