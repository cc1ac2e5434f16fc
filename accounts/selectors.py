"""Reads of readers' subscriptions for their own pages."""

from .models import Subscription


def subscription_of(user) -> Subscription | None:
    """The reader's subscription, active or not, for the premium page (one query)."""
    if not user.is_authenticated:
        return None
    return Subscription.objects.filter(user_id=user.pk).first()
