"""Readers' premium subscriptions."""

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


class Subscription(models.Model):
    """A reader's premium plan; it grants factuality data until it expires."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

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
