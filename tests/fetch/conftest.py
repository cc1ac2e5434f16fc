"""Fixtures for the fetcher's tests: never any real DNS, and connections refused on demand.

The loopback servers, the canary and the private-feeds switch are tests/conftest.py's.
"""

import ipaddress
import socket

import pytest

from sources import fetch


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch):
    """Only address literals and localhost resolve; a test wanting names uses `dns`."""
    real_resolve = fetch.resolve

    def literals_only(host, port):
        if host != "localhost":
            try:
                socket.getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)
            except socket.gaierror:
                pytest.fail(f"the test tried to look up {host!r} in real DNS")
        return real_resolve(host, port)

    monkeypatch.setattr(fetch, "resolve", literals_only)


@pytest.fixture
def dns(monkeypatch):
    """dns({"feeds.example.com": ["203.0.113.7"]}) makes those names resolve; others fail."""
    lookups = []

    def install(answers: dict[str, list[str]]):
        def fake_resolve(host, port):
            lookups.append(host)
            if host not in answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return [ipaddress.ip_address(address) for address in answers[host]]

        monkeypatch.setattr(fetch, "resolve", fake_resolve)
        return lookups

    return install


@pytest.fixture
def connect_attempts(monkeypatch):
    """Every socket connect() in the test is recorded and fails instead of reaching out."""
    attempts = []

    def refuse(sock, address):
        attempts.append(address)
        raise ConnectionRefusedError("connecting is switched off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts
