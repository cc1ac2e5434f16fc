"""The rating scales of outlets, and the rule that groups bias into the bar's three buckets.

Ratings belong to outlets, not to articles. Everything that shows, filters or
counts a rating takes its words and its buckets from here.
"""

import operator

from django.db import models
from django.db.models import Q

NOT_RATED = "Not rated"
UNRATED = "unrated"  # the bucket of a source without a bias rating

# The bias bar's buckets: the one statement of "Left < 0, Center = 0, Right > 0",
# as (lookup, Python comparison, value), so the database and Python agree.
_BUCKET_RULE = {
    "left": ("lt", operator.lt, 0),
    "center": ("exact", operator.eq, 0),
    "right": ("gt", operator.gt, 0),
}
BUCKETS = tuple(_BUCKET_RULE)
BUCKET_LABELS = {"left": "Left", "center": "Center", "right": "Right"}


class RatingScale(models.IntegerChoices):
    """A scale whose empty value means "not rated"."""

    @classmethod
    def label_of(cls, value: int | None) -> str:
        """The value's label, or "Not rated" for None."""
        return NOT_RATED if value is None else cls(value).label


class Bias(RatingScale):
    """Seven-point political bias of an outlet; negative is left, positive is right."""

    FAR_LEFT = -3, "Far Left"
    LEFT = -2, "Left"
    LEAN_LEFT = -1, "Lean Left"
    CENTER = 0, "Center"
    LEAN_RIGHT = 1, "Lean Right"
    RIGHT = 2, "Right"
    FAR_RIGHT = 3, "Far Right"

    @classmethod
    def bucket_of(cls, value: int | None) -> str | None:
        """Return "left", "center", "right", or None for a source that is not rated."""
        if value is None:
            return None
        return next(bucket for bucket, (_, test, edge) in _BUCKET_RULE.items() if test(value, edge))


class Factuality(RatingScale):
    """How reliably an outlet reports facts; shown only to premium readers."""

    VERY_LOW = 1, "Very Low"
    LOW = 2, "Low"
    MIXED = 3, "Mixed"
    HIGH = 4, "High"
    VERY_HIGH = 5, "Very High"


def bias_bucket_q(bucket: str, *, through: str = "") -> Q:
    """Sources in a bucket ("left", "center", "right" or "unrated") as a lookup.

    `through` reaches the source from another model, e.g. "source__" from an
    article or "story_articles__article__source__" from a story.
    """
    if bucket == UNRATED:
        return Q(**{f"{through}bias__isnull": True})
    lookup, _, edge = _BUCKET_RULE[bucket]
    return Q(**{f"{through}bias__{lookup}": edge})


class OwnerCategory(models.TextChoices):
    INDEPENDENT = "independent", "Independent"
    MEDIA_CONGLOMERATE = "media_conglomerate", "Media Conglomerate"
    PRIVATE_EQUITY = "private_equity", "Private Equity"
    GOVERNMENT = "government", "Government"
    TELECOM = "telecom", "Telecom"
    WEALTHY_INDIVIDUAL = "wealthy_individual", "Wealthy Individual"
    NONPROFIT = "nonprofit", "Nonprofit"
    PUBLIC_COMPANY = "public_company", "Public Company"
    OTHER = "other", "Other"
