"""The SSRF guard: with private feeds refused, nothing inside our network is ever connected to."""

import ipaddress
import socket
import time

import pytest

from sources import fetch
from tests.httpserver import Canary, LoopbackServer

pytestmark = pytest.mark.usefixtures("private_feeds_refused")

PUBLIC_LOOKING = ipaddress.ip_address("127.0.0.2")


def public_looking_only(ip):
    """A policy for these tests: 127.0.0.2 plays a public server; everything else is refused."""
    return ip == PUBLIC_LOOKING


LOOPBACK_SPELLINGS = {
    "ipv4": "127.0.0.1",
    "localhost": "localhost",
    "ipv6": "[::1]",
    "ipv4-mapped-ipv6": "[::ffff:127.0.0.1]",
    "unspecified": "0.0.0.0",
    "decimal": "2130706433",
    "hex": "0x7f000001",
    "octal": "0177.0.0.1",
    "short-form": "127.1",
}


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS.values(), ids=LOOPBACK_SPELLINGS.keys())
def test_loopback_is_refused_without_connecting(host, canary):
    with pytest.raises(fetch.UnsafeURL) as refused:
        fetch.fetch(f"http://{host}:{canary.port}/feed.xml", total_timeout=2)
    assert "private or local" in refused.value.reason
    assert canary.count() == 0


UNROUTABLE = {
    "rfc1918-10": "10.0.0.1",
    "rfc1918-172": "172.16.0.1",
    "rfc1918-192": "192.168.1.1",
    "cloud-metadata": "169.254.169.254",
    "cgnat-metadata": "100.100.100.200",
    "multicast": "224.0.0.1",
    "broadcast": "255.255.255.255",
    "reserved": "240.0.0.1",
    "ipv4-mapped-private": "[::ffff:10.0.0.1]",
    "ipv4-compatible": "[::10.0.0.1]",
    "nat64": "[64:ff9b::a00:1]",
    "nat64-local": "[64:ff9b:1::a00:1]",
    "6to4-private": "[2002:a00:1::1]",
    "teredo": "[2001:0:4136:e378:8000:63bf:f5ff:fffe]",
    "unique-local": "[fd00::1]",
    "link-local-v6": "[fe80::1]",
    "site-local": "[fec0::1]",
    "multicast-v6": "[ff02::1]",
}


@pytest.mark.parametrize("host", UNROUTABLE.values(), ids=UNROUTABLE.keys())
def test_non_public_address_is_refused_before_any_connect(host, connect_attempts):
    started = time.monotonic()
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch(f"http://{host}/feed.xml", connect_timeout=5, total_timeout=5)
    assert connect_attempts == []
    assert time.monotonic() - started < 1


def test_hostname_resolving_to_loopback_is_refused(dns, canary):
    dns({"feeds.example.com": ["127.0.0.1"]})
    with pytest.raises(fetch.UnsafeURL) as refused:
        fetch.fetch(f"http://feeds.example.com:{canary.port}/feed.xml", total_timeout=2)
    assert "feeds.example.com" in refused.value.reason
    assert canary.count() == 0


def test_hostname_resolving_only_to_private_addresses_is_refused(dns, connect_attempts):
    dns({"intranet.example.com": ["10.1.2.3", "fd00::7"]})
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch("http://intranet.example.com/feed.xml")
    assert connect_attempts == []


def test_only_the_allowed_addresses_of_a_mixed_answer_are_connected_to(dns, canary):
    with LoopbackServer("127.0.0.2", port=canary.port) as public:
        public.reply("/feed.xml", body=b"<rss/>")
        dns({"feeds.example.com": ["127.0.0.1", "127.0.0.2"]})
        url = f"http://feeds.example.com:{canary.port}/feed.xml"
        result = fetch.fetch(url, address_policy=public_looking_only, total_timeout=2)
    assert result.body == b"<rss/>"
    assert canary.count() == 0


def test_redirect_from_public_server_to_loopback_is_refused(canary):
    with LoopbackServer("127.0.0.2") as public:
        target = f"http://127.0.0.1:{canary.port}/latest/meta-data/"
        public.reply("/feed.xml", 302, headers={"Location": target})
        with pytest.raises(fetch.UnsafeURL):
            fetch.fetch(
                public.url("/feed.xml"), address_policy=public_looking_only, total_timeout=2
            )
        assert public.hits("/feed.xml") == 1
    assert canary.count() == 0


def test_redirect_to_hostname_resolving_to_loopback_is_refused(dns, canary):
    dns({"feeds.example.com": ["127.0.0.2"], "internal.example.com": ["127.0.0.1"]})
    with LoopbackServer("127.0.0.2") as public:
        target = f"http://internal.example.com:{canary.port}/"
        public.reply("/feed.xml", 301, headers={"Location": target})
        with pytest.raises(fetch.UnsafeURL):
            fetch.fetch(
                f"http://feeds.example.com:{public.port}/feed.xml",
                address_policy=public_looking_only,
                total_timeout=2,
            )
    assert canary.count() == 0


def test_dns_rebinding_connects_only_to_the_checked_address(monkeypatch):
    lookups = []

    def rebinding_resolve(host, port):
        # The first answer is public; every later one points inside.
        lookups.append(host)
        return [PUBLIC_LOOKING if len(lookups) == 1 else ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(fetch, "resolve", rebinding_resolve)
    inside = Canary()  # where a second lookup would have led; its port first, as below
    with LoopbackServer("127.0.0.2", port=inside.port) as public:
        public.reply("/feed.xml", body=b"<rss/>")
        url = f"http://feeds.example.com:{public.port}/feed.xml"
        result = fetch.fetch(url, address_policy=public_looking_only, total_timeout=2)
        host_header = public.requests[0].headers["host"]
    assert (result.status, result.body) == (200, b"<rss/>")
    assert host_header == f"feeds.example.com:{public.port}"
    assert lookups == ["feeds.example.com"]
    assert inside.count() == 0
    inside.close()


def test_dns_rebinding_between_redirect_hops_is_refused(monkeypatch):
    answers = iter([PUBLIC_LOOKING, ipaddress.ip_address("127.0.0.1")])
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [next(answers)])
    # The canary takes a free port on the busy 127.0.0.1 first; the same port on 127.0.0.2,
    # which only this test uses, is then free (the other order raced other tests' servers).
    inside = Canary()
    with LoopbackServer("127.0.0.2", port=inside.port) as public:
        public.reply("/old.xml", 301, headers={"Location": "/feed.xml"})
        url = f"http://feeds.example.com:{public.port}/old.xml"
        with pytest.raises(fetch.UnsafeURL):
            fetch.fetch(url, address_policy=public_looking_only, total_timeout=2)
    assert inside.count() == 0
    inside.close()


def test_canary_counts_connections_on_both_loopbacks(canary):
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        with socket.socket(family) as client:
            client.connect((host, canary.port))
    assert canary.count() == 2


def test_allow_setting_lifts_the_address_check(settings, canary):
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    with pytest.raises(fetch.FetchTimeout):
        fetch.fetch(f"http://127.0.0.1:{canary.port}/feed.xml", total_timeout=0.3)
    assert canary.count() == 1


def test_allow_setting_is_read_at_call_time(settings, http_server):
    http_server.reply("/feed.xml", body=b"<rss/>")
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    assert fetch.fetch(http_server.url("/feed.xml")).status == 200
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = False
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch(http_server.url("/feed.xml"))


REFUSED_URLS = {
    "file": "file:///etc/passwd",
    "ftp": "ftp://example.org/feed.xml",
    "gopher": "gopher://example.org:70/_GET",
    "data": "data:application/rss+xml,<rss/>",
    "javascript": "javascript:alert(1)",
    "scheme-relative": "//example.org/feed.xml",
    "no-host": "http:///feed.xml",
    "user-and-password": "http://user:pass@example.org/feed.xml",
    "user-only": "http://user@example.org/feed.xml",
    "bad-port": "http://example.org:99999/feed.xml",
}


@pytest.mark.parametrize("url", REFUSED_URLS.values(), ids=REFUSED_URLS.keys())
def test_url_outside_plain_http_is_refused(url, connect_attempts):
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch(url)
    assert connect_attempts == []


@pytest.mark.parametrize("url", REFUSED_URLS.values(), ids=REFUSED_URLS.keys())
def test_allow_setting_does_not_lift_the_url_check(settings, url, connect_attempts):
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch(url)
    assert connect_attempts == []


def test_redirect_to_file_url_is_refused_even_with_private_feeds_allowed(settings, http_server):
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    http_server.reply("/feed.xml", 302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch(http_server.url("/feed.xml"))


def test_redirect_to_url_with_credentials_is_refused(settings, http_server):
    settings.NEWSROOM_ALLOW_PRIVATE_FEEDS = True
    location = f"http://admin:secret@127.0.0.1:{http_server.port}/feed.xml"
    http_server.reply("/old.xml", 301, headers={"Location": location})
    with pytest.raises(fetch.UnsafeURL):
        fetch.fetch(http_server.url("/old.xml"))
    assert http_server.hits("/feed.xml") == 0
