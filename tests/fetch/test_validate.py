"""validate_feed_url and check_feed_host: what an editor adding a feed is told, before
anything is fetched. The first reads the address alone; the second looks its host up."""

import pytest
from django.core.exceptions import ValidationError

from sources.fetch import check_feed_host, validate_feed_url

pytestmark = pytest.mark.usefixtures("private_feeds_refused")


def refusal(url: str) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_feed_url(url)
    return refused.value.messages[0]


def test_public_feed_is_accepted(dns):
    lookups = dns({"example.org": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]})
    validate_feed_url("https://example.org/feed.xml")
    assert check_feed_host("https://example.org/feed.xml") is None
    assert lookups == ["example.org"]  # by check_feed_host only


def test_host_with_a_public_address_among_private_ones_is_accepted(dns):
    dns({"example.org": ["10.0.0.5", "93.184.215.14"]})
    assert check_feed_host("http://example.org/rss") is None


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/feed.xml", "file:///etc/passwd", "gopher://example.org/", "data:,x"],
)
def test_other_schemes_are_refused(url):
    assert "Only http:// and https:// addresses" in refusal(url)


def test_credentials_are_refused():
    assert refusal("https://editor:hunter2@example.org/feed.xml") == (
        "Feed addresses must not contain a user name or password."
    )


def test_missing_host_is_refused():
    assert refusal("https:///feed.xml") == "The address has no host name."


def test_invalid_port_is_refused():
    assert refusal("https://example.org:70000/feed.xml") == "The address is not a valid URL."


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "2130706433"]
)
def test_private_address_is_refused(host):
    message = refusal(f"http://{host}/feed.xml")
    assert "private or local network address" in message
    assert "only public addresses can be fetched" in message


def test_host_name_resolving_to_loopback_is_refused_once_looked_up(dns):
    dns({"feeds.example.com": ["127.0.0.1"]})
    validate_feed_url("https://feeds.example.com/rss")  # the name alone says nothing
    with pytest.raises(ValidationError) as refused:
        check_feed_host("https://feeds.example.com/rss")
    assert refused.value.messages[0].startswith(
        "“feeds.example.com” leads to a private or local network address (127.0.0.1)"
    )


def test_a_host_name_is_not_looked_up_by_the_validator(dns):
    lookups = dns({})
    validate_feed_url("https://no-such-host.example/rss")
    assert lookups == []


def test_unknown_host_name_is_a_warning_not_a_refusal(dns):
    dns({})
    assert check_feed_host("https://no-such-host.example/rss") == (
        "The host name “no-such-host.example” could not be found. "
        "The feed is saved; fetching it will fail until the name resolves."
    )


def test_refusal_carries_a_code(dns):
    with pytest.raises(ValidationError) as refused:
        validate_feed_url("ftp://example.org/")
    assert refused.value.code == "unsafe_url"


def test_allow_setting_accepts_private_addresses_without_a_lookup(settings, dns):
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    lookups = dns({})
    validate_feed_url("http://intranet.local/feed.xml")
    assert lookups == []


def test_allow_setting_still_refuses_other_schemes(settings):
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    assert "Only http:// and https://" in refusal("file:///etc/passwd")
