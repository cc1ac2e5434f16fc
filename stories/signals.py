"""Signals the stories app sends for writes that bypass post_save and post_delete."""

from django.dispatch import Signal

# Sent by the services whose bulk writes (bulk_create, update) send no model
# signals, with story_ids: the stories whose coverage changed (None: any story,
# from `manage.py recount_stories`).
coverage_changed = Signal()

# Sent by merge_stories inside its transaction, just before the absorbed story is
# deleted, with survivor and absorbed (Story): apps that keep their own rows about a
# story (readers' saves and reads) move them to the survivor, or lose them with it.
stories_merged = Signal()
