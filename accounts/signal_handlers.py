"""Readers' own rows follow what happens to accounts and stories: a reader whose account
is deleted stops paying, and a merged story's saves and reads move to the survivor."""

from django.db import transaction

from .checkout import billing_enabled, cancel_at_stripe
from .models import Subscription
from .reading import move_to_survivor
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


def keep_readers_stories_on_merge(sender, survivor, absorbed, **kwargs):
    """A story merged into another takes its readers' saves and reads with it, in the
    merge's transaction, before it is deleted."""
    move_to_survivor(survivor=survivor, absorbed=absorbed)
