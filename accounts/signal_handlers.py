"""A reader whose account is deleted stops paying: their Stripe subscription is cancelled."""

from django.db import transaction

from .checkout import billing_enabled, cancel_at_stripe
from .models import Subscription
from .services import ENDED


def cancel_billing_of_deleted_reader(sender, instance, **kwargs):
    """After the deletion commits, end the reader's running Stripe subscription at once.

    Stripe's later events name a customer that is gone, and are recorded as such.
    """
    if not billing_enabled():
        return
    ids = list(
        Subscription.objects.filter(user=instance)
        .exclude(stripe_subscription_id="")
        .exclude(status__in=ENDED)
        .values_list("stripe_subscription_id", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: cancel_at_stripe(subscription_ids=ids))
