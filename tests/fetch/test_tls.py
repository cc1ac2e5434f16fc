"""HTTPS: we connect to the checked address but verify the certificate for the URL's host name."""

import ssl
import subprocess

import pytest

from sources import fetch
from tests.httpserver import LoopbackServer

pytestmark = pytest.mark.usefixtures("private_feeds_allowed")

HOST = "feeds.example.test"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for HOST: (cert path, key path)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2"]
        + ["-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def https_server(certificate):
    """An HTTPS server for HOST on 127.0.0.1 that records the SNI names it was asked for."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    server_names = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    with LoopbackServer(tls=context) as server:
        server.server_names = server_names
        server.reply("/feed.xml", body=b"<rss/>")
        yield server


@pytest.fixture
def trust_certificate(monkeypatch, certificate):
    monkeypatch.setattr(
        fetch, "tls_context", lambda: ssl.create_default_context(cafile=certificate[0])
    )


def test_https_sends_the_host_name_and_verifies_the_certificate_for_it(
    dns, https_server, trust_certificate
):
    dns({HOST: ["127.0.0.1"]})
    result = fetch.fetch(f"https://{HOST}:{https_server.port}/feed.xml")
    assert (result.status, result.body) == (200, b"<rss/>")
    assert https_server.server_names == [HOST]
    assert https_server.requests[0].headers["host"] == f"{HOST}:{https_server.port}"


def test_https_refuses_a_certificate_for_another_name(dns, https_server, trust_certificate):
    dns({"other.example.test": ["127.0.0.1"]})
    with pytest.raises(fetch.FetchError, match="certificate"):
        fetch.fetch(f"https://other.example.test:{https_server.port}/feed.xml")
    assert https_server.requests == []


def test_https_refuses_a_certificate_no_authority_vouches_for(dns, https_server):
    dns({HOST: ["127.0.0.1"]})
    with pytest.raises(fetch.FetchError, match="certificate"):
        fetch.fetch(f"https://{HOST}:{https_server.port}/feed.xml")
    assert https_server.requests == []
