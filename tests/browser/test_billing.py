"""Buying premium in Chromium: Upgrade leads to Stripe's Checkout, Stripe's event unlocks
factuality; saving a story and My News Bias work without JavaScript and within the CSP."""

import json
import urllib.request

import pytest

from tests.accounts.fake_stripe import (  # noqa: F401  (stripe_fake is a fixture)
    WEBHOOK_PATH,
    WEBHOOK_SECRET,
    sign,
    stripe_fake,
)
from tests.factories import UserFactory

from .conftest import csp_violations, log_in

pytestmark = pytest.mark.browser


def deliver(site_url: str, event: dict) -> str:
    """POST the event to the live site's webhook as Stripe does; returns the answer."""
    payload = json.dumps(event).encode()
    request = urllib.request.Request(
        site_url + WEBHOOK_PATH,
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": sign(payload, WEBHOOK_SECRET),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our live server)
        return response.read().decode()


def test_a_reader_upgrades_through_checkout_and_then_sees_factuality(
    open_page,
    harbour_stories,
    stripe_fake,  # noqa: F811  (the fixture imported above)
    site,
):
    UserFactory(username="buyer")
    page, problems = open_page()
    log_in(page, "buyer", next_url="/premium/")
    story_url = f"/stories/{harbour_stories.story.slug}/"

    page.get_by_role("button", name="Upgrade to Premium, monthly").click()
    page.wait_for_url(f"{stripe_fake.url}/pay/*")
    assert page.title() == "Stripe Checkout (test)"
    session_id = page.url.rsplit("/", 1)[1]

    # The reader pays on Stripe's page; Stripe tells the site, signed.
    for event in stripe_fake.complete_checkout(session_id):
        assert deliver(site.url, event) != "duplicate"

    page.goto("/premium/welcome/")
    assert "Your premium access is on" in page.locator("#welcome-state").inner_text()
    page.goto("/premium/")
    assert page.locator("#billing-plan").inner_text() == "Monthly"
    assert page.locator("#billing-status").inner_text() == "Active"
    page.goto(story_url)
    assert page.locator("#factuality").is_visible()
    assert page.locator("#factuality-upsell").count() == 0
    assert problems.all(page) == []


def test_without_stripe_keys_the_premium_page_names_the_staff(open_page, harbour_stories):
    UserFactory(username="plain")
    page, problems = open_page()
    log_in(page, "plain", next_url="/premium/")
    assert "granted by the newsroom’s staff" in page.locator("#premium-status").inner_text()
    assert page.get_by_role("button", name="Upgrade to Premium, monthly").count() == 0
    assert problems.all(page) == []


def test_a_reader_saves_a_story_and_finds_it_under_saved_stories(open_page, harbour_stories):
    UserFactory(username="keeper")
    page, problems = open_page(java_script_enabled=False)
    story_url = f"/stories/{harbour_stories.story.slug}/"
    log_in(page, "keeper", next_url=story_url)
    page.get_by_role("button", name="Save story").click()
    page.wait_for_url(f"**{story_url}")
    assert page.get_by_role("button", name="Saved · Unsave").is_visible()
    page.get_by_role("link", name="Saved stories").first.click()
    assert harbour_stories.story.title in page.locator("#saved-stories").inner_text()


def test_my_news_bias_draws_the_readers_mix_as_bars_within_the_csp(open_page, harbour_stories):
    UserFactory(username="curious")
    page, problems = open_page()
    log_in(page, "curious", next_url="/my-news-bias/")
    page.get_by_role("button", name="Switch My News Bias on").click()
    page.goto(f"/stories/{harbour_stories.blindspot.slug}/")
    page.goto("/my-news-bias/")
    yours = page.locator("#mix-yours .bar-segment.bias-left")
    assert yours.bounding_box()["width"] > 0
    assert page.locator("#mix-yours").get_attribute("data-left") == "100"
    assert page.locator("#mix-everyone .bar-segment.bias-right").bounding_box()["width"] > 0
    assert csp_violations(page) == [] and problems.all(page) == []
