"""Readers' premium subscriptions and the topics they follow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SubscriptionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, expires_at__gt=now)

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class Plan(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    YEARLY = "yearly", "Yearly"


class Subscription(models.Model):
    """A reader's premium plan; it grants factuality data until it expires."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    # Billing by Stripe; all empty for a plan granted by staff (complimentary). expires_at
    # follows the Stripe subscription: its paid period, a few days' grace after a failed
    # renewal, its end once cancelled (accounts/billing_events.py).
    plan = models.CharField(max_length=16, choices=Plan.choices, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    status = models.CharField(max_length=32, blank=True, help_text="Stripe's status")
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    grace_until = models.DateTimeField(null=True, blank=True)
    # Stripe's creation time of the newest event applied: older ones are not applied.
    billing_event_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-expires_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")),
                name="subscription_expires_after_start",
            ),
        ]

    def __str__(self):
        return f"Premium for {self.user}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.expires_at

    @property
    def is_billed(self) -> bool:
        """Paid through Stripe, as opposed to granted by staff."""
        return bool(self.stripe_subscription_id)


class TopicFollow(models.Model):
    """A reader follows a topic: its published stories make up their "For you" page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows"
    )
    topic = models.ForeignKey("stories.Topic", on_delete=models.CASCADE, related_name="follows")
    followed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_followed_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.topic}"


class BillingCustomer(models.Model):
    """A reader's customer at Stripe, made before their first checkout and kept after."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_customer"
    )
    stripe_customer_id = models.CharField(max_length=255, unique=True)
    # The reader's one open Checkout Session: a second "Upgrade" reuses or expires it.
    checkout_session_id = models.CharField(max_length=255, blank=True)
    checkout_plan = models.CharField(max_length=16, choices=Plan.choices, blank=True)

    def __str__(self):
        return self.stripe_customer_id


class BillingEvent(models.Model):
    """A Stripe event applied once: its id is stored in the transaction that applies it."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(help_text="when Stripe created the event")
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=100)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class SavedStory(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_stories"
    )
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="saved_story_once"),
        ]

    def __str__(self):
        return f"{self.user} saved {self.story_id}"


class NewsBiasOptIn(models.Model):
    """A reader who switched My News Bias on; without this row no read is recorded."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_bias_opt_in"
    )
    since = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"My News Bias on for {self.user}"


class StoryRead(models.Model):
    """A story an opted-in reader opened, with the last time they did."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_reads"
    )
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="story_read_once"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return f"{self.user} read {self.story_id}"
