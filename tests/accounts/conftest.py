"""Billing fixtures: the fake Stripe on 127.0.0.1 with the site configured for it."""

import json

import pytest
from django.test import Client

from .fake_stripe import WEBHOOK_PATH, WEBHOOK_SECRET, sign, stripe_fake  # noqa: F401  (shared fixture)

WEBHOOK_URL = WEBHOOK_PATH


def post_event(client, event: dict, *, secret: str = WEBHOOK_SECRET, at: int | None = None):
    """POST the event to the webhook signed as Stripe signs it; returns the response."""
    payload = json.dumps(event).encode()
    return client.post(
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": sign(payload, secret, at=at)},
    )


@pytest.fixture
def stripe_client():
    """Stripe's side of the webhook: no session, and CSRF checked as a browser's would be."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def deliver(stripe_client):
    """deliver(*events): each posted, signed, to the webhook; every answer must be 200."""

    def send(*events):
        for event in events:
            response = post_event(stripe_client, event)
            assert response.status_code == 200, response.content

    return send
