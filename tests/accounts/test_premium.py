"""The one predicate that decides who sees factuality data."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Subscription
from accounts.premium import may_see_factuality
from tests.factories import SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_readers_may_not():
    assert may_see_factuality(AnonymousUser()) is False
    assert may_see_factuality(None) is False


def test_free_readers_may_not(free_reader):
    assert may_see_factuality(free_reader) is False


def test_active_subscribers_may(premium_reader):
    assert may_see_factuality(premium_reader) is True


def test_expired_subscribers_may_not(expired_reader):
    assert may_see_factuality(expired_reader) is False


def test_a_subscription_that_has_not_started_does_not_count():
    now = timezone.now()
    sub = SubscriptionFactory(starts_at=now + timedelta(days=1), expires_at=now + timedelta(days=9))
    assert may_see_factuality(sub.user) is False


def test_staff_always_may_even_without_a_subscription():
    assert may_see_factuality(UserFactory(is_staff=True)) is True


def test_deactivated_accounts_may_not_even_with_a_subscription(premium_reader):
    premium_reader.is_active = False
    assert may_see_factuality(premium_reader) is False


def test_the_answer_is_asked_once_per_user_object(premium_reader, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert may_see_factuality(premium_reader)
        assert may_see_factuality(premium_reader)


def test_expiry_takes_effect_for_the_next_request(premium_reader):
    from django.contrib.auth import get_user_model

    assert may_see_factuality(premium_reader)
    Subscription.objects.filter(user=premium_reader).update(expires_at=timezone.now())
    next_request_user = get_user_model().objects.get(pk=premium_reader.pk)
    assert may_see_factuality(next_request_user) is False
