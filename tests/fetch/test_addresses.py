"""Which addresses count as public: the table the SSRF guard decides by."""

import ipaddress

import pytest

from sources.addresses import is_public_address

PUBLIC = ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"]
NOT_PUBLIC = [
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "100.100.100.200",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.168.0.1",
    "198.18.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:8.8.8.8",  # mapped: which IPv4 stack answers is up to the OS; refuse them all
    "::127.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b::808:808",  # NAT64 of a public address still goes through a local translator
    "64:ff9b:1::1",
    "100::1",
    "2001::1",
    "2001:db8::1",
    "2002:7f00:1::1",  # 6to4 embedding 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 embedding 169.254.169.254
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_address_is_public(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_address_is_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


def test_6to4_embedding_a_public_address_is_public():
    assert is_public_address(ipaddress.ip_address("2002:808:808::1"))
