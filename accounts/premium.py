"""The one rule for factuality data: who may see it.

Every surface (templates, API, outgoing feeds, caches) asks may_see_factuality()
and nothing else, so the premium gate has a single place to be right.
"""

from django.utils import timezone

from .models import Subscription

_MEMO = "_newsroom_may_see_factuality"


def may_see_factuality(user) -> bool:
    """True for staff and for readers with an active subscription.

    The answer is remembered on the user object, which lives for one request,
    so an expired subscription loses access on the next request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    if not hasattr(user, _MEMO):
        active = Subscription.objects.active(timezone.now()).filter(user_id=user.pk).exists()
        setattr(user, _MEMO, active)
    return getattr(user, _MEMO)
