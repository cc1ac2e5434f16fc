"""Real HTTP servers on loopback, in threads, for tests that fetch over the network.

    with LoopbackServer() as server:
        server.reply("/feed.xml", body=b"<rss/>", headers={"ETag": '"v1"'})
        server.route("/slow", lambda handler: server.stopping.wait(5))
        fetch(server.url("/feed.xml"))
        assert server.requests[0].headers["user-agent"].startswith("Newsroom/")

``Canary`` is the opposite: a listener that never answers and counts who connected, to prove
that a refused address was never even connected to.
"""

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class SeenRequest:
    path: str  # as sent on the request line, query included
    headers: dict[str, str]  # lower-cased names


class RequestHandler(BaseHTTPRequestHandler):
    """Hands each GET to the route registered for its path (without query); 404 otherwise."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        owner: LoopbackServer = self.server.owner
        owner.requests.append(
            SeenRequest(self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        handler = owner.routes.get(urlsplit(self.path).path)
        if handler is None:
            self.send(404, b"not found")
        else:
            handler(self)

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
        """A complete response: status, headers, Content-Length, body; then the connection ends."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name in headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, format, *args):
        pass  # keep test output clean


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up mid-response (size caps, timeouts) are expected here


class _Server6(_Server):
    address_family = socket.AF_INET6


class LoopbackServer:
    """An HTTP(S) server on host (default 127.0.0.1) and a free port, serving in a thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None):
        server_class = _Server6 if ":" in host else _Server
        self._httpd = server_class((host, port), RequestHandler)
        self._httpd.owner = self
        if tls is not None:
            # The handshake happens in the request's thread, so a failed one blocks nothing.
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.scheme = "https" if tls else "http"
        self.host, self.port = host, self._httpd.server_address[1]
        self.routes: dict[str, Callable[[RequestHandler], None]] = {}
        self.requests: list[SeenRequest] = []
        self.stopping = threading.Event()  # handlers that stall wait on it, so stop() ends them
        # A short poll interval makes stop() quick; the loop costs next to nothing.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{path}"

    def reply(self, path: str, status: int = 200, body: bytes = b"", headers=None) -> None:
        """Answer every GET of path with the same response."""
        self.routes[path] = lambda handler: handler.send(status, body, headers)

    def route(self, path: str, handler: Callable[[RequestHandler], None]) -> None:
        """Answer GETs of path by calling handler(request_handler), which writes what it likes."""
        self.routes[path] = handler

    def hits(self, path: str) -> int:
        return sum(1 for seen in self.requests if urlsplit(seen.path).path == path)

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


class Canary:
    """Listeners on 127.0.0.1 and [::1] (same port) that never answer; count() says who came.

    Connections wait in the listen backlog, so counting them needs no thread and no timing.
    """

    def __init__(self, port: int = 0):
        self._sockets = [self._listen(socket.AF_INET, "127.0.0.1", port)]
        self.port = self._sockets[0].getsockname()[1]
        with contextlib.suppress(OSError):  # a machine without IPv6 loopback
            self._sockets.append(self._listen(socket.AF_INET6, "::1", self.port))
        self._count = 0

    @staticmethod
    def _listen(family: int, host: str, port: int) -> socket.socket:
        sock = socket.socket(family, socket.SOCK_STREAM)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, port))
        sock.listen(64)
        sock.setblocking(False)
        return sock

    def count(self) -> int:
        """How many connections have reached the canary so far."""
        for sock in self._sockets:
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    break
                conn.close()
                self._count += 1
        return self._count

    def close(self) -> None:
        for sock in self._sockets:
            sock.close()
