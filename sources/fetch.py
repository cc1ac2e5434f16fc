"""Fetch a feed over HTTP without letting its URL reach anything but the public internet.

The SSRF guard, step by step (which addresses count as public is decided in addresses.py):

1. Only ``http`` and ``https`` URLs without credentials are fetched (``_parse``).
2. The host is resolved once per request by ``resolve()``; each resolved address must pass the
   address policy, by default ``addresses.is_public_address`` (``_checked_addresses``).
   ``settings.NEWSROOM_ALLOW_PRIVATE_FEEDS`` lifts the address check, and nothing else does.
3. The socket connects to that checked address itself, never to the host name, so a second
   DNS answer (rebinding) cannot change where we connect; the Host header, TLS SNI and the
   certificate check still use the host name (``_connect``).
4. Every redirect hop goes through 1-3 again; at most ``MAX_REDIRECTS`` hops, no loops.

Besides: one deadline bounds the whole fetch, every read included, so a server that trickles
bytes times out; the body is capped on the wire and again after decompression (gzip bombs).
"""

import http.client
import io
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from .addresses import Address, AddressPolicy, is_public_address

USER_AGENT = "Newsroom/1.0 (+feed fetcher; a self-hosted coverage-comparison newsroom)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECT_STATUSES = frozenset({301, 308})
_CHUNK = 64 * 1024
# Characters left as they are when a URL's path and query are put on the request line.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


class FetchError(Exception):
    """A fetch that failed; ``reason`` says why in words an editor understands."""

    code = "fetch_failed"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UnsafeURL(FetchError):
    code = "unsafe_url"


class TooLarge(FetchError):
    code = "too_large"


class FetchTimeout(FetchError):
    code = "timeout"


class TooManyRedirects(FetchError):
    code = "too_many_redirects"


@dataclass(frozen=True)
class FetchResult:
    status: int
    url: str
    body: bytes
    headers: dict[str, str]
    permanent_redirect: str | None
    elapsed: float


@dataclass(frozen=True)
class _Target:
    tls: bool
    host: str  # ASCII (IDNA) host name or address literal, without brackets
    port: int
    path: str  # path and query as they go on the request line


@dataclass(frozen=True)
class _Limits:
    max_bytes: int
    connect_timeout: float
    deadline: float  # time.monotonic() after which the fetch has failed


def resolve(host: str, port: int) -> list[Address]:
    """The addresses host resolves to, in the resolver's order, without duplicates.

    A module-level function so tests can stand in for public DNS.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


@cache
def tls_context() -> ssl.SSLContext:
    """Certificates verified against the system's CAs and the URL's host name."""
    return ssl.create_default_context()


def validate_feed_url(url: str, *, address_policy: AddressPolicy | None = None) -> None:
    """Raise ValidationError saying why url can never be fetched as a feed; for forms.

    What the address itself says: its scheme, credentials, host and, when the host is
    written as an IP address, whether that address may be fetched. A host name is not
    looked up here, where every save of the feed would wait on DNS: check_feed_host()
    does that for an address being added or changed, and every fetch checks again.
    """
    try:
        target = _parse(url)
        if address_policy is not None or not settings.NEWSROOM_ALLOW_PRIVATE_FEEDS:
            _checked_addresses(target, address_policy or is_public_address, numeric=True)
    except FetchError as exc:
        raise ValidationError(exc.reason, code=exc.code) from exc


def check_feed_host(url: str, *, address_policy: AddressPolicy | None = None) -> str | None:
    """For an address being added or changed: raise ValidationError when its host name
    leads to a private address; return a warning when it cannot be looked up now (the
    outlet's DNS may be down, or the name not yet live), else None."""
    if address_policy is None and settings.NEWSROOM_ALLOW_PRIVATE_FEEDS:
        return None
    try:
        _checked_addresses(_parse(url), address_policy or is_public_address)
    except UnsafeURL as exc:
        raise ValidationError(exc.reason, code=exc.code) from exc
    except FetchError as exc:
        return f"{exc.reason} The feed is saved; fetching it will fail until the name resolves."
    return None


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    connect_timeout: float | None = None,
    total_timeout: float | None = None,
    address_policy: AddressPolicy | None = None,
) -> FetchResult:
    """GET url, following up to MAX_REDIRECTS redirects; HTTP error statuses are returned."""
    started = time.monotonic()
    if total_timeout is None:
        total_timeout = settings.NEWSROOM_FEED_TOTAL_TIMEOUT
    limits = _Limits(
        max_bytes=settings.NEWSROOM_FEED_MAX_BYTES if max_bytes is None else max_bytes,
        connect_timeout=connect_timeout or settings.NEWSROOM_FEED_CONNECT_TIMEOUT,
        deadline=started + total_timeout,
    )
    policy = address_policy or _default_policy()
    current, seen, moved, all_permanent = url, {url}, None, True
    for _hop in range(MAX_REDIRECTS + 1):
        status, headers, body = _exchange(_parse(current), policy, limits, etag, last_modified)
        location = headers.get("location", "").strip()
        if status not in REDIRECT_STATUSES or not location:
            elapsed = time.monotonic() - started
            return FetchResult(status, current, body, headers, moved, elapsed)
        current = urljoin(current, location)
        if current in seen:
            raise TooManyRedirects(f"The feed redirects in a loop (back to {current}).")
        seen.add(current)
        all_permanent = all_permanent and status in PERMANENT_REDIRECT_STATUSES
        moved = current if all_permanent else moved
    raise TooManyRedirects(f"The feed redirected more than {MAX_REDIRECTS} times.")


def _default_policy() -> AddressPolicy:
    # Read at call time, so the setting can change without a restart (and in tests).
    if settings.NEWSROOM_ALLOW_PRIVATE_FEEDS:
        return lambda ip: True
    return is_public_address


def _parse(url: str) -> _Target:
    """The parts of url we connect with; UnsafeURL for anything but plain http(s)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL("The address is not a valid URL.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL(f"Only http:// and https:// addresses can be fetched, not “{url[:80]}”.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("Feed addresses must not contain a user name or password.")
    if not parts.hostname:
        raise UnsafeURL("The address has no host name.")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise UnsafeURL(f"The host name “{parts.hostname}” is not valid.") from exc
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_PATH_SAFE + "?")
    tls = scheme == "https"
    return _Target(tls=tls, host=host, port=port or (443 if tls else 80), path=path)


def _checked_addresses(
    target: _Target, policy: AddressPolicy, *, numeric: bool = False
) -> list[Address]:
    """The addresses of target's host that policy allows; UnsafeURL when there are none.

    With numeric, only a host written as an IP address is checked (no DNS); a name
    passes unchecked and gives [].
    """
    if numeric:
        try:
            infos = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )
        except (OSError, UnicodeError, ValueError):
            return []  # a host name, looked up later
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        return _allowed(target, addresses, policy)
    try:
        addresses = resolve(target.host, target.port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise FetchError(f"The host name “{target.host}” could not be found.") from exc
    if not addresses:
        raise FetchError(f"The host name “{target.host}” could not be found.")
    return _allowed(target, addresses, policy)


def _allowed(target: _Target, addresses: list[Address], policy: AddressPolicy) -> list[Address]:
    allowed = [ip for ip in addresses if policy(ip)]
    if not allowed:
        raise UnsafeURL(
            f"“{target.host}” leads to a private or local network address ({addresses[0]}); "
            "only public addresses can be fetched."
        )
    return allowed


def _exchange(
    target: _Target, policy: AddressPolicy, limits: _Limits, etag: str, modified: str
) -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection: (status, lower-cased headers, body of a 2xx)."""
    sock = _connect(target, _checked_addresses(target, policy), limits)
    try:
        sock.settimeout(_remaining(limits.deadline))
        sock.sendall(_request(target, etag, modified))
        response = http.client.HTTPResponse(_DeadlineReader(sock, limits.deadline), method="GET")
        response.begin()
        headers = _headers(response)
        ok = 200 <= response.status < 300
        body = _read_body(response, headers, limits.max_bytes) if ok else b""
        return response.status, headers, body
    except TimeoutError as exc:
        raise FetchTimeout(f"“{target.host}” took too long to answer.") from exc
    except (http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"“{target.host}” sent a malformed HTTP response.") from exc
    except OSError as exc:
        raise FetchError(f"The connection to “{target.host}” broke off ({exc}).") from exc
    finally:
        sock.close()


def _connect(target: _Target, addresses: list[Address], limits: _Limits) -> socket.socket:
    """A socket connected to the first reachable checked address (TLS-wrapped for https)."""
    error: OSError | None = None
    for ip in addresses:
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(min(limits.connect_timeout, _remaining(limits.deadline)))
            sock.connect((str(ip), target.port))
            if target.tls:
                sock.settimeout(_remaining(limits.deadline))  # bounds the whole handshake
                sock = tls_context().wrap_socket(sock, server_hostname=target.host)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
        except FetchError:
            sock.close()
            raise
    raise _connect_error(target.host, error)


def _connect_error(host: str, exc: OSError | None) -> FetchError:
    if isinstance(exc, TimeoutError):
        return FetchTimeout(f"“{host}” did not accept a connection in time.")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError(f"The certificate of “{host}” is not valid: {exc.verify_message}.")
    if isinstance(exc, ssl.SSLError):
        return FetchError(f"The secure connection to “{host}” failed.")
    if isinstance(exc, ConnectionRefusedError):
        return FetchError(f"“{host}” refused the connection.")
    return FetchError(f"Could not connect to “{host}” ({exc}).")


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout("The feed took too long to download.")
    return left


class _DeadlineReader(io.RawIOBase):
    """The socket as http.client reads it: no read waits past the fetch's deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock, self._deadline = sock, deadline

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(self)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(_remaining(self._deadline))
        return self._sock.recv_into(buffer)


def _request(target: _Target, etag: str, last_modified: str) -> bytes:
    host = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != (443 if target.tls else 80):
        host += f":{target.port}"
    lines = [
        f"GET {target.path} HTTP/1.1",
        f"Host: {host}",
        f"User-Agent: {USER_AGENT}",
        f"Accept: {ACCEPT}",
        "Accept-Encoding: gzip, deflate",
        "Connection: close",
    ]
    # Validators come from an earlier response; one that could split the request is dropped.
    if etag and etag.isascii() and etag.isprintable():
        lines.append(f"If-None-Match: {etag}")
    if last_modified and last_modified.isascii() and last_modified.isprintable():
        lines.append(f"If-Modified-Since: {last_modified}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _read_body(response: http.client.HTTPResponse, headers: dict[str, str], cap: int) -> bytes:
    """The decoded body, refused as soon as it grows past cap bytes, on the wire or decoded."""
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"The feed is {int(declared):,} bytes; the limit is {cap:,}.")
    decoder = _Decoder(headers.get("content-encoding", ""), cap)
    received = 0
    while chunk := response.read(_CHUNK):
        received += len(chunk)
        if received > cap:
            raise TooLarge(f"The feed is larger than the limit of {cap:,} bytes.")
        decoder.feed(chunk)
    if response.length:  # Content-Length promised more than arrived before the close
        raise FetchError("The connection closed before the whole feed had arrived.")
    return decoder.finish()


class _Decoder:
    """Undoes gzip/deflate, never producing more than cap bytes of output."""

    def __init__(self, encoding: str, cap: int):
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"The server compressed the feed in an unsupported way ({encoding}).")
        # 32 + MAX_WBITS accepts both gzip and zlib framing, whichever the server really sent.
        compressed = encoding not in ("", "identity")
        self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS) if compressed else None
        # One growing buffer: a list of chunks joined at the end would hold the body twice.
        self._cap, self._size, self._body = cap, 0, io.BytesIO()

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self._keep(data)
            return
        try:
            while data:  # max_length keeps the rest in unconsumed_tail: memory stays bounded
                self._keep(self._zlib.decompress(data, self._cap - self._size + 1))
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise FetchError("The server sent a damaged compressed feed.") from exc

    def finish(self) -> bytes:
        if self._zlib is not None:
            self._keep(self._zlib.flush())
            if not self._zlib.eof:
                raise FetchError("The compressed feed was cut short.")
        return self._body.getvalue()

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            raise TooLarge(
                f"The feed is larger than the limit of {self._cap:,} bytes once unpacked."
            )
        self._body.write(data)
