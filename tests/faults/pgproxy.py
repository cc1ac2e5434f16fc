"""A switchable TCP proxy in front of PostgreSQL, and a one-thread WSGI server of the site.

    with TcpProxy("127.0.0.1", 5432) as proxy:   # connect to 127.0.0.1:proxy.port instead
        proxy.cut()        # as if PostgreSQL stopped: connections dropped, new ones refused
        proxy.restore()    # as if it started again

``SiteServer`` serves the project over real HTTP from one thread, as a sync gunicorn worker
does: one persistent database connection, closed or kept by Django's own request signals.
"""

import contextlib
import socket
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.core.handlers.wsgi import WSGIHandler
from django.db import connections


class TcpProxy:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = 0
        self.connections_made = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def __enter__(self):
        self.restore()
        return self

    def __exit__(self, *exc):
        self.cut()

    def restore(self) -> None:
        """Listen again, on the same port as before."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Stop listening (connecting is refused) and drop every open connection."""
        with self._lock:
            doomed, self._open = [self._listener, *self._open], []
            self._listener = None
        for sock in doomed:
            if sock is not None:
                _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # the listener was closed by cut()
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    _close(client)
                    _close(upstream)
                    return
                self._open += [client, upstream]
                self.connections_made += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    _close(source)
    _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class SiteServer:
    """The project's WSGI application on 127.0.0.1, one request at a time in one thread."""

    def __init__(self):
        self._server: WSGIServer = make_server(
            "127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        try:
            self._server.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()  # this thread's connection, which the test cannot reach

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(10)
        self._server.server_close()
