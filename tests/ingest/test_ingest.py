"""fetch_feed end to end over real HTTP: what is stored, and what the feed records."""

import gzip
import time
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources import ingest
from sources.models import Article, Feed
from tests.factories import ArticleFactory, FeedFactory

from .documents import NOW, atom, item, published, rss, stored_articles


def test_new_feed_stores_its_entries_as_articles(serve_feed):
    feed = serve_feed(rss([item(1), item(2)]))
    result = ingest.fetch_feed(feed.pk)
    assert (result.status, result.new, result.updated, result.skipped) == ("ok", 2, 0, 0)
    article = Article.objects.get(guid="https://news.example/?p=1")
    assert article.url == "https://news.example/2030/bridge-1"
    assert article.title == "Council votes on harbour bridge, part 1"
    assert article.summary == "The council met on Tuesday to discuss part 1."
    assert article.author == "City Desk"
    assert article.published_at == published(1)
    assert (article.source, article.feed) == (feed.source, feed)


def test_fetch_records_the_feeds_state(serve_feed):
    feed = serve_feed(rss([item(1)], title="Harbour News"), headers={"ETag": '"v1"'})
    before = timezone.now()
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.last_fetched_at >= before
    assert (feed.last_status, feed.last_error, feed.consecutive_errors) == (200, "", 0)
    assert (feed.last_new_count, feed.last_updated_count, feed.last_skipped_count) == (1, 0, 0)
    assert feed.etag == '"v1"'
    assert feed.title == "Harbour News"
    assert feed.next_fetch_at > before
    assert (feed.lease_token, feed.lease_until) == ("", None)


def test_second_identical_fetch_creates_and_changes_nothing(serve_feed):
    feed = serve_feed(rss([item(n) for n in range(5)]))
    ingest.fetch_feed(feed.pk)
    stored = stored_articles(feed)
    result = ingest.fetch_feed(feed.pk)
    assert (result.new, result.updated) == (0, 0)
    assert stored_articles(feed) == stored  # updated_at included: nothing was rewritten


def test_large_feed_is_stored_in_batches_and_stays_idempotent(serve_feed):
    feed = serve_feed(rss([item(n, link=f"https://news.example/a/{n}") for n in range(1200)]))
    assert ingest.fetch_feed(feed.pk).new == 1200
    result = ingest.fetch_feed(feed.pk)
    assert (result.new, result.updated) == (0, 0)
    assert Article.objects.filter(feed=feed).count() == 1200


def test_changed_entry_updates_its_article(serve_feed, http_server):
    feed = serve_feed(rss([item(1), item(2)]))
    ingest.fetch_feed(feed.pk)
    http_server.reply("/feed.xml", body=rss([item(1, title="Bridge vote delayed"), item(2)]))
    result = ingest.fetch_feed(feed.pk)
    assert (result.new, result.updated) == (0, 1)
    assert Article.objects.get(guid="https://news.example/?p=1").title == "Bridge vote delayed"


def test_entry_whose_url_changed_updates_the_article_with_its_guid(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]))
    ingest.fetch_feed(feed.pk)
    http_server.reply("/feed.xml", body=rss([item(1, link="https://news.example/2030/bridge-one")]))
    result = ingest.fetch_feed(feed.pk)
    assert (result.new, result.updated) == (0, 1)
    article = Article.objects.get()
    assert article.url == "https://news.example/2030/bridge-one"


def test_guid_match_keeps_the_url_when_another_article_has_the_new_one(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]))
    ingest.fetch_feed(feed.pk)
    ArticleFactory(url="https://news.example/taken")
    http_server.reply(
        "/feed.xml", body=rss([item(1, link="https://news.example/taken", title="New")])
    )
    result = ingest.fetch_feed(feed.pk)
    assert (result.status, result.errors) == ("ok", 0)
    mine = Article.objects.get(feed=feed)
    assert (mine.url, mine.title) == ("https://news.example/2030/bridge-1", "New")


def test_article_first_brought_in_by_another_feed_is_left_alone(serve_feed):
    other = ArticleFactory(url="https://news.example/2030/bridge-1", title="Wire copy")
    feed = serve_feed(rss([item(1)]))
    result = ingest.fetch_feed(feed.pk)
    assert (result.new, result.updated) == (0, 0)
    other.refresh_from_db()
    assert (other.title, other.feed) == ("Wire copy", None)


def test_tracking_parameters_do_not_make_a_second_article(serve_feed):
    entries = [
        item(1, link="https://news.example/a?id=7&utm_source=x", guid=None),
        item(2, link="https://NEWS.example:443/a?id=7&fbclid=abc#comments", guid=None),
    ]
    result = ingest.fetch_feed(serve_feed(rss(entries)).pk)
    assert (result.new, result.skipped) == (1, 1)
    assert list(Article.objects.values_list("url", flat=True)) == ["https://news.example/a?id=7"]


def test_entries_without_a_usable_link_are_skipped_and_counted(serve_feed):
    entries = [
        item(1),
        item(2, link=None, guid=None),
        item(3, link="javascript:alert(1)", guid=None),
        item(4, link="mailto:desk@news.example", guid=None),
    ]
    feed = serve_feed(rss(entries))
    result = ingest.fetch_feed(feed.pk)
    assert (result.new, result.skipped) == (1, 3)
    feed.refresh_from_db()
    assert feed.last_skipped_count == 3


def test_relative_links_resolve_against_the_feed_url(serve_feed, http_server):
    feed = serve_feed(rss([item(1, link="/stories/1", guid=None)]), path="/news/feed.xml")
    ingest.fetch_feed(feed.pk)
    assert Article.objects.get().url == http_server.url("/stories/1")


def test_entry_without_a_date_gets_its_arrival_time_and_keeps_it(serve_feed):
    feed = serve_feed(rss([item(1, pubDate=None)]))
    before = timezone.now()
    ingest.fetch_feed(feed.pk)
    arrived = Article.objects.get().published_at
    assert before <= arrived <= timezone.now()
    ingest.fetch_feed(feed.pk)
    assert Article.objects.get().published_at == arrived


def test_future_date_becomes_the_arrival_time(serve_feed):
    future = "Fri, 01 Jan 2100 00:00:00 GMT"
    feed = serve_feed(rss([item(1, pubDate=future)]))
    ingest.fetch_feed(feed.pk)
    assert Article.objects.get().published_at <= timezone.now()


def test_dates_are_stored_in_utc(serve_feed):
    when = (NOW - timedelta(days=1)).strftime("%a, %d %b %Y 09:30:00 +0200")
    ingest.fetch_feed(serve_feed(rss([item(1, pubDate=when)])).pk)
    stored = Article.objects.get().published_at
    assert (stored.hour, stored.minute, stored.utcoffset()) == (7, 30, timedelta(0))


def test_atom_feed_is_stored_like_rss(serve_feed):
    entry = {
        "id": "tag:news.example,2030:1",
        "title": "Ferry &amp; rail <em>strike</em>",
        "link": "https://news.example/ferry?utm_campaign=x",
        "summary": "<p>Services stop at <b>noon</b>.</p>",
        "author": "Ana Reporter",
    }
    ingest.fetch_feed(serve_feed(atom([entry])).pk)
    article = Article.objects.get()
    assert (article.url, article.guid) == ("https://news.example/ferry", entry["id"])
    assert (article.title, article.summary) == ("Ferry & rail strike", "Services stop at noon.")
    assert article.author == "Ana Reporter"


def test_image_comes_from_media_content(serve_feed):
    media = '<media:content url="https://cdn.news.example/1.jpg" medium="image"/>'
    ingest.fetch_feed(serve_feed(rss([item(1, _raw=media)])).pk)
    assert Article.objects.get().image_url == "https://cdn.news.example/1.jpg"


def test_image_comes_from_an_image_enclosure(serve_feed):
    enclosure = '<enclosure url="https://cdn.news.example/2.png" type="image/png" length="1"/>'
    ingest.fetch_feed(serve_feed(rss([item(1, _raw=enclosure)])).pk)
    assert Article.objects.get().image_url == "https://cdn.news.example/2.png"


def test_active_content_never_reaches_the_database(serve_feed):
    hostile = item(
        1,
        title='<img src=x onerror="alert(1)">Bridge <script>alert(2)</script>vote',
        description='<a href="javascript:alert(3)" onclick="x()">Read</a> &lt;script&gt;y()',
        author="<iframe><script>alert(4)</script></iframe>Desk",
    )
    ingest.fetch_feed(serve_feed(rss([hostile])).pk)
    article = Article.objects.get()
    assert (article.title, article.summary, article.author) == ("Bridge vote", "Read", "Desk")


def test_fetch_interval_follows_how_often_the_feed_publishes(serve_feed):
    entries = [item(n, pubDate=format_datetime(NOW - timedelta(minutes=30 * n))) for n in range(8)]
    feed = serve_feed(rss(entries))
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.fetch_interval == 30 * 60
    assert timedelta(minutes=26) < feed.next_fetch_at - timezone.now() < timedelta(minutes=34)


def test_ttl_and_max_age_keep_the_next_fetch_from_coming_sooner(serve_feed):
    entries = [item(n, pubDate=format_datetime(NOW - timedelta(minutes=10 * n))) for n in range(8)]
    feed = serve_feed(rss(entries, extra="<ttl>180</ttl>"), headers={"Cache-Control": "max-age=60"})
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.next_fetch_at - timezone.now() > timedelta(minutes=179)


def test_a_fetch_costs_as_many_queries_for_fifty_entries_as_for_five(serve_feed):
    counts = {}
    for size in (5, 50):
        feed = serve_feed(
            rss([item(n, link=f"https://news.example/{size}/{n}") for n in range(size)])
        )
        with CaptureQueriesContext(connection) as queries:
            assert ingest.fetch_feed(feed.pk).new == size
        counts[size] = len(queries)
        feed.delete()
    # Lease, feed, savepoint, matching articles, insert, savepoint, feed state, releases.
    assert counts == {5: 9, 50: 9}


# -- HTTP outcomes ----------------------------------------------------------------------------


def test_etag_is_sent_back_and_304_stores_nothing(serve_feed, http_server, monkeypatch):
    feed = serve_feed(rss([item(1)]), headers={"ETag": '"v1"'})
    ingest.fetch_feed(feed.pk)
    stored = stored_articles(feed)
    http_server.reply("/feed.xml", status=304, headers={"ETag": '"v1"'})
    monkeypatch.setattr(ingest, "parse_feed", lambda *a: pytest.fail("a 304 was parsed"))
    result = ingest.fetch_feed(feed.pk)
    assert result.status == "not modified"
    assert http_server.requests[-1].headers["if-none-match"] == '"v1"'
    feed.refresh_from_db()
    assert (feed.last_status, feed.last_new_count, feed.etag) == (304, 0, '"v1"')
    assert stored_articles(feed) == stored


def test_last_modified_is_sent_back_as_if_modified_since(serve_feed, http_server):
    stamp = "Tue, 01 Jan 2030 10:00:00 GMT"
    feed = serve_feed(rss([item(1)]), headers={"Last-Modified": stamp})
    ingest.fetch_feed(feed.pk)
    http_server.reply("/feed.xml", status=304)
    assert ingest.fetch_feed(feed.pk).status == "not modified"
    assert http_server.requests[-1].headers["if-modified-since"] == stamp
    feed.refresh_from_db()
    assert (feed.last_modified, feed.last_status) == (stamp, 304)


def test_410_disables_the_feed_and_keeps_its_articles(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]))
    ingest.fetch_feed(feed.pk)
    http_server.reply("/feed.xml", status=410)
    assert ingest.fetch_feed(feed.pk).status == "gone"
    feed.refresh_from_db()
    assert (feed.is_active, feed.last_status, feed.next_fetch_at) == (False, 410, None)
    assert "gone for good" in feed.disabled_reason
    assert Article.objects.filter(feed=feed).count() == 1


@pytest.mark.parametrize("status", [429, 503])
def test_slow_down_statuses_back_off_as_long_as_retry_after_asks(serve_feed, status):
    feed = serve_feed(status=status, headers={"Retry-After": "7200"})
    before = timezone.now()
    assert ingest.fetch_feed(feed.pk).status == "error"
    feed.refresh_from_db()
    assert feed.next_fetch_at >= before + timedelta(seconds=7200)
    assert (feed.last_status, feed.consecutive_errors) == (status, 1)
    assert "slow down" in feed.last_error


def test_retry_after_as_an_http_date_is_honoured(serve_feed):
    later = timezone.now() + timedelta(hours=3)
    feed = serve_feed(
        status=503, headers={"Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    )
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.next_fetch_at >= later - timedelta(seconds=1)


def test_failures_back_off_geometrically(serve_feed):
    feed = serve_feed(status=500)
    delays = []
    for _ in range(3):
        Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None)
        started = timezone.now()
        ingest.fetch_feed(feed.pk)
        feed.refresh_from_db()
        delays.append(round((feed.next_fetch_at - started).total_seconds() / 60))
    assert delays == [10, 20, 40]
    assert "HTTP 500" in feed.last_error


def test_feed_is_disabled_with_a_reason_after_ten_failures_in_a_row(serve_feed):
    feed = serve_feed(status=500, consecutive_errors=ingest.MAX_CONSECUTIVE_ERRORS - 1)
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert not feed.is_active
    assert feed.disabled_reason.startswith("Disabled after 10 failed fetches in a row")
    assert Feed.objects.due().filter(pk=feed.pk).count() == 0


def test_success_after_failures_resets_the_error_count(serve_feed):
    feed = serve_feed(rss([item(1)]), consecutive_errors=4, last_error="It broke.")
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert (feed.consecutive_errors, feed.last_error) == (0, "")


def test_permanent_redirect_moves_the_feed_after_three_fetches(serve_feed, http_server):
    http_server.reply(
        "/new.xml", body=rss([item(1)]), headers={"Content-Type": "application/rss+xml"}
    )
    feed = serve_feed(status=301, headers={"Location": http_server.url("/new.xml")})
    for expected_count in (1, 2):
        ingest.fetch_feed(feed.pk)
        feed.refresh_from_db()
        assert (feed.url, feed.redirect_count) == (http_server.url("/feed.xml"), expected_count)
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    new_url = http_server.url("/new.xml")
    assert (feed.url, feed.redirect_url, feed.redirect_count) == (new_url, "", 0)
    assert Article.objects.filter(feed=feed).count() == 1


def test_308_counts_as_permanent_too(serve_feed, http_server):
    http_server.reply("/new.xml", body=rss([item(1)]))
    feed = serve_feed(status=308, headers={"Location": "/new.xml"}, redirect_count=2)
    Feed.objects.filter(pk=feed.pk).update(redirect_url=http_server.url("/new.xml"))
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.url == http_server.url("/new.xml")


def test_temporary_redirect_never_moves_the_feed(serve_feed, http_server):
    http_server.reply("/today.xml", body=rss([item(1)]))
    feed = serve_feed(status=302, headers={"Location": "/today.xml"})
    for _ in range(4):
        ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert (feed.url, feed.redirect_count) == (http_server.url("/feed.xml"), 0)
    assert Article.objects.filter(feed=feed).count() == 1


def test_redirect_to_another_feeds_url_is_recorded_not_applied(serve_feed, http_server):
    http_server.reply("/new.xml", body=rss([item(1)]))
    other = FeedFactory(url=http_server.url("/new.xml"))
    feed = serve_feed(status=301, headers={"Location": "/new.xml"}, redirect_count=2)
    Feed.objects.filter(pk=feed.pk).update(redirect_url=other.url)
    result = ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert (feed.url, feed.redirect_url) == (http_server.url("/feed.xml"), other.url)
    assert "another feed already has it" in feed.last_error == result.message


def test_redirect_loop_is_recorded_as_an_error(serve_feed, http_server):
    http_server.reply("/b.xml", status=302, headers={"Location": "/feed.xml"})
    feed = serve_feed(status=302, headers={"Location": "/b.xml"})
    assert ingest.fetch_feed(feed.pk).status == "error"
    feed.refresh_from_db()
    assert "loop" in feed.last_error
    assert feed.consecutive_errors == 1


def test_stalled_response_times_out_as_the_feeds_error(serve_feed, http_server, settings):
    settings.NEWSROOM_FEED_TOTAL_TIMEOUT = 1
    feed = serve_feed()
    http_server.route("/feed.xml", lambda handler: http_server.stopping.wait(10))
    started = time.monotonic()
    assert ingest.fetch_feed(feed.pk).status == "error"
    assert time.monotonic() - started < 5
    feed.refresh_from_db()
    assert "too long" in feed.last_error


def test_endless_body_is_cut_at_the_size_cap(db, http_server, settings):
    settings.NEWSROOM_FEED_MAX_BYTES = 64 * 1024

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        chunk = b"<item>" + b"x" * 8192 + b"</item>"
        while not http_server.stopping.is_set():
            handler.wfile.write(chunk)

    http_server.route("/feed.xml", endless)
    feed = FeedFactory(url=http_server.url("/feed.xml"))
    assert ingest.fetch_feed(feed.pk).status == "error"
    feed.refresh_from_db()
    assert "limit" in feed.last_error


def test_gzip_bomb_is_cut_at_the_size_cap(serve_feed, settings):
    settings.NEWSROOM_FEED_MAX_BYTES = 1024 * 1024
    bomb = gzip.compress(b"<rss>" + b" " * (50 * 1024 * 1024), compresslevel=9)
    feed = serve_feed(bomb, headers={"Content-Encoding": "gzip"})
    assert ingest.fetch_feed(feed.pk).status == "error"
    feed.refresh_from_db()
    assert "once unpacked" in feed.last_error


def test_gzipped_feed_is_read(serve_feed):
    feed = serve_feed(gzip.compress(rss([item(1)])), headers={"Content-Encoding": "gzip"})
    assert ingest.fetch_feed(feed.pk).new == 1


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        (b"<!doctype html><html><body><p>Welcome</p></body></html>", "text/html", "web page"),
        (b"", "application/rss+xml", "empty document"),
        (b"   \n", "application/rss+xml", "empty document"),
        (b"Service temporarily unavailable", "text/plain", "not an RSS or Atom feed"),
    ],
    ids=["html", "empty", "blank", "text"],
)
def test_non_feed_is_the_feeds_error_and_keeps_its_articles(
    serve_feed, http_server, body, content_type, words
):
    feed = serve_feed(rss([item(1), item(2)]))
    ingest.fetch_feed(feed.pk)
    stored = stored_articles(feed)
    http_server.reply("/feed.xml", body=body, headers={"Content-Type": content_type})
    result = ingest.fetch_feed(feed.pk)
    assert result.status == "error"
    feed.refresh_from_db()
    assert words in feed.last_error
    assert (feed.last_status, feed.consecutive_errors) == (200, 1)
    assert stored_articles(feed) == stored


def test_illformed_feed_that_feedparser_can_read_is_ingested(serve_feed):
    body = rss([item(1)]).replace(b"</channel></rss>", b"<item><title>Half")
    assert ingest.fetch_feed(serve_feed(body).pk).new == 1


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>Bomb &lol9;</title><link>https://news.example/bomb</link>
<description>&lol9;</description></item></channel></rss>"""


def test_billion_laughs_is_not_expanded(serve_feed):
    feed = serve_feed(BILLION_LAUGHS)
    started = time.monotonic()
    ingest.fetch_feed(feed.pk)
    assert time.monotonic() - started < 5
    for article in Article.objects.filter(feed=feed):
        assert "lollol" not in article.title + article.summary


def test_external_entity_is_never_read(serve_feed, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY pw SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>XXE &xxe;</title>
<item><title>Leak &xxe;</title><link>https://news.example/xxe</link>
<description>&pw; &xxe;</description></item></channel></rss>""".encode()
    feed = serve_feed(body)
    ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    stored = (
        " ".join(a.title + a.summary + a.author for a in Article.objects.filter(feed=feed))
        + feed.title
        + feed.last_error
    )
    assert "TOP-SECRET-CONTENT" not in stored
    assert "root:" not in stored


def test_body_that_names_a_local_file_is_not_opened(serve_feed, tmp_path):
    local = tmp_path / "local-feed.xml"
    local.write_bytes(rss([item(1, link="https://news.example/from-disk")]))
    feed = serve_feed(str(local).encode(), headers={"Content-Type": "text/plain"})
    assert ingest.fetch_feed(feed.pk).status == "error"
    assert not Article.objects.filter(url="https://news.example/from-disk").exists()


def test_refused_address_is_recorded_without_connecting(db, private_feeds_refused, canary):
    feed = FeedFactory(url=f"http://127.0.0.1:{canary.port}/feed.xml")
    assert ingest.fetch_feed(feed.pk).status == "error"
    feed.refresh_from_db()
    assert "private or local network address" in feed.last_error
    assert canary.count() == 0


# -- leases -----------------------------------------------------------------------------------


def test_feed_leased_by_another_worker_is_skipped(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]))
    assert ingest.acquire_lease(feed.pk)
    result = ingest.fetch_feed(feed.pk)
    assert result.status == "skipped: leased"
    assert http_server.hits("/feed.xml") == 0


def test_expired_lease_of_a_dead_worker_is_taken_over(serve_feed):
    feed = serve_feed(rss([item(1)]))
    Feed.objects.filter(pk=feed.pk).update(
        lease_token="dead-worker", lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert ingest.fetch_feed(feed.pk).status == "ok"
    feed.refresh_from_db()
    assert (feed.lease_token, feed.lease_until) == ("", None)


def test_lease_is_released_when_the_fetch_crashes(serve_feed, monkeypatch):
    feed = serve_feed(rss([item(1)]))
    monkeypatch.setattr(ingest, "store_entries", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        ingest.fetch_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.lease_token == ""


def test_inactive_and_missing_feeds_are_skipped(serve_feed, http_server):
    feed = serve_feed(rss([item(1)]), is_active=False)
    assert ingest.fetch_feed(feed.pk).status == "skipped: inactive"
    assert ingest.fetch_feed(feed.pk + 1000).status == "skipped: no such feed"
    assert http_server.hits("/feed.xml") == 0
