"""What the public site stores for itself: the story page's read model (web/digest.py)."""

from django.db import models

from stories.models import Story


class StoryPageDigest(models.Model):
    """A story page's coverage, tabs, perspectives, timeline and first page of cards per tab,
    computed once and read with the story in the same query.

    One column per audience (factuality is shown to premium readers only); an empty
    column is computed on the next view. `version` is the content version the columns
    were computed at, or the version of the change that emptied them: a computation
    that began under an older version may not store its result (web/digest.py).
    """

    story = models.OneToOneField(
        Story, on_delete=models.CASCADE, primary_key=True, related_name="page_digest"
    )
    version = models.BigIntegerField()
    public = models.BinaryField(null=True)
    premium = models.BinaryField(null=True)

    class Meta:
        verbose_name = "story page digest"

    def __str__(self):
        return f"page digest of story {self.story_id}"
