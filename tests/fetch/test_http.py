"""What fetch() does over HTTP: conditional GET, redirects, statuses, timeouts and size caps."""

import gzip
import socket
import time
import tracemalloc
import zlib

import pytest

from sources import fetch

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
MiB = 1024 * 1024


def write_forever(handler, chunk: bytes, pause: float = 0.0) -> None:
    """Keep sending chunk until the client hangs up or the server stops (or, at most, 5 s:
    a fetch that fails to give up then sees the body end and its test fails, not hangs)."""
    until = time.monotonic() + 5
    try:
        while not handler.server.owner.stopping.is_set() and time.monotonic() < until:
            handler.wfile.write(chunk)
            if pause:
                time.sleep(pause)
    except OSError:
        pass


def headers_then(body_handler, headers: dict[str, str]):
    """A route that sends 200 and headers, then lets body_handler produce the body."""

    def route(handler):
        handler.send_response(200)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        body_handler(handler)
        handler.close_connection = True

    return route


def stall(handler):
    handler.server.owner.stopping.wait(10)


# --- the request we send ---


def test_request_identifies_itself_and_asks_for_feeds(http_server):
    http_server.reply("/feed.xml", body=FEED)
    fetch.fetch(http_server.url("/feed.xml"))
    sent = http_server.requests[0].headers
    assert sent["user-agent"] == fetch.USER_AGENT
    assert sent["user-agent"].startswith("Newsroom/1.0 (+feed fetcher")
    assert "application/rss+xml" in sent["accept"]
    assert "application/atom+xml" in sent["accept"]
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["host"] == f"127.0.0.1:{http_server.port}"
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_path_and_query_are_sent_percent_encoded(http_server):
    http_server.reply("/café feed.xml", body=FEED)
    fetch.fetch(http_server.url("/café feed.xml?tag=a b&x=1"))
    assert http_server.requests[0].path == "/caf%C3%A9%20feed.xml?tag=a%20b&x=1"


def test_validator_that_could_split_the_request_is_dropped(http_server):
    http_server.reply("/feed.xml", body=FEED)
    fetch.fetch(http_server.url("/feed.xml"), etag='"v1"\r\nX-Injected: yes')
    sent = http_server.requests[0].headers
    assert "x-injected" not in sent
    assert "if-none-match" not in sent


# --- conditional GET ---


def conditional(etag: str = "", last_modified: str = ""):
    def route(handler):
        fresh = (etag and handler.headers.get("If-None-Match") == etag) or (
            last_modified and handler.headers.get("If-Modified-Since") == last_modified
        )
        if fresh:
            handler.send(304)
        else:
            validators = {"ETag": etag} if etag else {"Last-Modified": last_modified}
            handler.send(200, FEED, validators)

    return route


def test_etag_is_sent_back_and_304_has_empty_body(http_server):
    http_server.route("/feed.xml", conditional(etag='"abc123"'))
    first = fetch.fetch(http_server.url("/feed.xml"))
    second = fetch.fetch(http_server.url("/feed.xml"), etag=first.headers["etag"])
    assert (first.status, first.body) == (200, FEED)
    assert http_server.requests[1].headers["if-none-match"] == '"abc123"'
    assert (second.status, second.body) == (304, b"")


def test_last_modified_is_sent_back_and_304_has_empty_body(http_server):
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    http_server.route("/feed.xml", conditional(last_modified=stamp))
    first = fetch.fetch(http_server.url("/feed.xml"))
    second = fetch.fetch(http_server.url("/feed.xml"), last_modified=first.headers["last-modified"])
    assert http_server.requests[1].headers["if-modified-since"] == stamp
    assert (second.status, second.body) == (304, b"")


# --- redirects ---


def chain(server, *hops: tuple[str, int, str]) -> None:
    """hops of (path, status, location); the last location serves the feed."""
    for path, status, location in hops:
        server.reply(path, status, headers={"Location": location})
    server.reply(hops[-1][2], body=FEED)


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_chain_reports_where_the_feed_moved(http_server, status):
    chain(http_server, ("/a", status, "/b"), ("/b", status, "/feed.xml"))
    result = fetch.fetch(http_server.url("/a"))
    assert (result.status, result.body) == (200, FEED)
    assert result.url == http_server.url("/feed.xml")
    assert result.permanent_redirect == http_server.url("/feed.xml")


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_chain_is_followed_but_not_reported_as_a_move(http_server, status):
    chain(http_server, ("/a", status, "/b"), ("/b", status, "/feed.xml"))
    result = fetch.fetch(http_server.url("/a"))
    assert (result.status, result.url) == (200, http_server.url("/feed.xml"))
    assert result.permanent_redirect is None


def test_move_is_the_end_of_the_permanent_hops_before_a_temporary_one(http_server):
    chain(http_server, ("/a", 301, "/b"), ("/b", 302, "/feed.xml"))
    result = fetch.fetch(http_server.url("/a"))
    assert result.url == http_server.url("/feed.xml")
    assert result.permanent_redirect == http_server.url("/b")


def test_permanent_hop_after_a_temporary_one_is_not_a_move(http_server):
    chain(http_server, ("/a", 302, "/b"), ("/b", 301, "/feed.xml"))
    assert fetch.fetch(http_server.url("/a")).permanent_redirect is None


def test_relative_redirect_is_resolved_against_the_current_url(http_server):
    chain(http_server, ("/feeds/old/rss", 301, "../new/rss.xml"), ("/x", 302, "/feeds/new/rss.xml"))
    result = fetch.fetch(http_server.url("/feeds/old/rss"))
    assert (result.status, result.url) == (200, http_server.url("/feeds/new/rss.xml"))


def test_redirect_loop_is_refused(http_server):
    http_server.reply("/a", 302, headers={"Location": "/b"})
    http_server.reply("/b", 302, headers={"Location": "/a"})
    with pytest.raises(fetch.TooManyRedirects) as refused:
        fetch.fetch(http_server.url("/a"))
    assert "loop" in refused.value.reason
    assert http_server.hits("/a") == 1


def redirects(server, count: int) -> str:
    hops = [(f"/r{i}", 302, f"/r{i + 1}") for i in range(count)]
    chain(server, *hops)
    return server.url("/r0")


def test_five_redirects_are_followed(http_server):
    assert fetch.fetch(redirects(http_server, 5)).body == FEED


def test_six_redirects_are_refused(http_server):
    with pytest.raises(fetch.TooManyRedirects):
        fetch.fetch(redirects(http_server, 6))
    assert http_server.hits("/r6") == 0


def test_redirect_without_location_is_returned(http_server):
    http_server.reply("/feed.xml", 301)
    assert fetch.fetch(http_server.url("/feed.xml")).status == 301


# --- statuses are returned, not raised ---


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_status_is_returned_with_empty_body(http_server, status):
    http_server.reply("/feed.xml", status, body=b"<html>gone</html>")
    result = fetch.fetch(http_server.url("/feed.xml"))
    assert (result.status, result.body) == (status, b"")


def test_429_is_returned_with_retry_after(http_server):
    http_server.reply("/feed.xml", 429, headers={"Retry-After": "120"})
    result = fetch.fetch(http_server.url("/feed.xml"))
    assert result.status == 429
    assert result.headers["retry-after"] == "120"


def test_header_names_are_lower_cased(http_server):
    http_server.reply("/feed.xml", body=FEED, headers={"Content-Type": "application/rss+xml"})
    assert fetch.fetch(http_server.url("/feed.xml")).headers["content-type"] == (
        "application/rss+xml"
    )


def test_empty_200_has_empty_body(http_server):
    http_server.reply("/feed.xml", 200, body=b"")
    result = fetch.fetch(http_server.url("/feed.xml"))
    assert (result.status, result.body) == (200, b"")


def test_chunked_body_is_reassembled(http_server):
    def chunked(handler):
        for part in (FEED[:10], FEED[10:]):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        handler.wfile.write(b"0\r\n\r\n")

    http_server.route("/feed.xml", headers_then(chunked, {"Transfer-Encoding": "chunked"}))
    assert fetch.fetch(http_server.url("/feed.xml")).body == FEED


# --- compression ---


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("x-gzip", gzip.compress), ("deflate", zlib.compress)],
)
def test_compressed_body_is_decompressed(http_server, encoding, compress):
    http_server.reply("/feed.xml", body=compress(FEED), headers={"Content-Encoding": encoding})
    assert fetch.fetch(http_server.url("/feed.xml")).body == FEED


def test_unrequested_encoding_is_an_error(http_server):
    http_server.reply("/feed.xml", body=b"\x1b\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(fetch.FetchError, match="unsupported"):
        fetch.fetch(http_server.url("/feed.xml"))


def test_damaged_gzip_is_an_error(http_server):
    damaged = gzip.compress(FEED)[:10] + b"\xff" * 20  # header, then an invalid block
    http_server.reply("/feed.xml", body=damaged, headers={"Content-Encoding": "gzip"})
    with pytest.raises(fetch.FetchError, match="damaged"):
        fetch.fetch(http_server.url("/feed.xml"))


def test_cut_short_gzip_is_an_error(http_server):
    cut = gzip.compress(FEED * 20)[:-30]
    http_server.reply("/feed.xml", body=cut, headers={"Content-Encoding": "gzip"})
    with pytest.raises(fetch.FetchError, match="cut short"):
        fetch.fetch(http_server.url("/feed.xml"))


def test_body_shorter_than_its_content_length_is_an_error(http_server):
    def short(handler):
        handler.wfile.write(FEED[:20])

    http_server.route("/feed.xml", headers_then(short, {"Content-Length": str(len(FEED))}))
    with pytest.raises(fetch.FetchError, match="before the whole feed"):
        fetch.fetch(http_server.url("/feed.xml"))


# --- size caps ---


@pytest.fixture(scope="module")
def gzip_bomb():
    """50 MiB of zeros that travel as about 50 KiB."""
    return gzip.compress(bytes(50 * MiB), compresslevel=9)


def test_gzip_bomb_is_refused_with_memory_bounded(http_server, gzip_bomb):
    assert len(gzip_bomb) < 100 * 1024
    http_server.reply("/feed.xml", body=gzip_bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(fetch.TooLarge, match="unpacked"):
            fetch.fetch(http_server.url("/feed.xml"), max_bytes=1 * MiB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MiB


def test_body_at_the_cap_is_accepted(http_server):
    http_server.reply("/feed.xml", body=b"x" * 1000)
    assert len(fetch.fetch(http_server.url("/feed.xml"), max_bytes=1000).body) == 1000


def test_endless_body_is_cut_off_at_the_cap(http_server):
    endless = headers_then(lambda h: write_forever(h, b"x" * 65536), {"Connection": "close"})
    http_server.route("/feed.xml", endless)
    with pytest.raises(fetch.TooLarge):
        fetch.fetch(http_server.url("/feed.xml"), max_bytes=256 * 1024, total_timeout=5)


def test_endless_chunked_body_is_cut_off_at_the_cap(http_server):
    chunk = b"x" * 65536
    endless = headers_then(
        lambda h: write_forever(h, b"%x\r\n%s\r\n" % (len(chunk), chunk)),
        {"Transfer-Encoding": "chunked"},
    )
    http_server.route("/feed.xml", endless)
    with pytest.raises(fetch.TooLarge):
        fetch.fetch(http_server.url("/feed.xml"), max_bytes=256 * 1024, total_timeout=5)


def test_content_length_over_the_cap_is_refused_before_reading(http_server):
    # The body never comes: only an early refusal can beat the 5 s timeout.
    http_server.route("/feed.xml", headers_then(stall, {"Content-Length": str(10**9)}))
    started = time.monotonic()
    with pytest.raises(fetch.TooLarge):
        fetch.fetch(http_server.url("/feed.xml"), max_bytes=MiB, total_timeout=5)
    assert time.monotonic() - started < 2.5


# --- timeouts ---


def test_server_that_never_answers_times_out(http_server):
    http_server.route("/feed.xml", stall)
    started = time.monotonic()
    with pytest.raises(fetch.FetchTimeout):
        fetch.fetch(http_server.url("/feed.xml"), total_timeout=0.5)
    assert 0.4 < time.monotonic() - started < 2.5


def test_body_that_stalls_times_out(http_server):
    http_server.route("/feed.xml", headers_then(stall, {"Content-Length": "1000"}))
    with pytest.raises(fetch.FetchTimeout):
        fetch.fetch(http_server.url("/feed.xml"), total_timeout=0.5)


def test_trickling_body_hits_the_total_timeout(http_server):
    trickle = headers_then(lambda h: write_forever(h, b"x", pause=0.05), {"Connection": "close"})
    http_server.route("/feed.xml", trickle)
    started = time.monotonic()
    with pytest.raises(fetch.FetchTimeout):
        fetch.fetch(http_server.url("/feed.xml"), total_timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_trickling_headers_hit_the_total_timeout(http_server):
    def trickle(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        write_forever(handler, b"X", pause=0.05)  # one header line that never ends

    http_server.route("/feed.xml", trickle)
    started = time.monotonic()
    with pytest.raises(fetch.FetchTimeout):
        fetch.fetch(http_server.url("/feed.xml"), total_timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_connect_that_is_never_accepted_hits_the_connect_timeout():
    # A listener whose accept queue is full drops new SYNs, so connect() just waits.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        started = time.monotonic()
        try:
            with pytest.raises(fetch.FetchTimeout):
                fetch.fetch(f"http://127.0.0.1:{port}/", connect_timeout=0.3, total_timeout=5)
        finally:
            for filler in fillers:
                filler.close()
    assert time.monotonic() - started < 2.5


# --- connection failures ---


def test_refused_connection_is_an_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once it is closed
    with pytest.raises(fetch.FetchError, match="refused"):
        fetch.fetch(f"http://127.0.0.1:{port}/feed.xml")


def test_unknown_host_name_is_an_error(dns):
    dns({})
    with pytest.raises(fetch.FetchError, match="could not be found"):
        fetch.fetch("http://no-such-host.example/feed.xml")


def test_malformed_response_is_an_error(http_server):
    http_server.route("/feed.xml", lambda h: h.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"))
    with pytest.raises(fetch.FetchError, match="malformed"):
        fetch.fetch(http_server.url("/feed.xml"))


def test_server_closing_without_a_response_is_an_error(http_server):
    http_server.route("/feed.xml", lambda h: None)
    with pytest.raises(fetch.FetchError):
        fetch.fetch(http_server.url("/feed.xml"))
