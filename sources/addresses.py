"""The SSRF guard's address policy: which network addresses a feed may be fetched from."""

import ipaddress
from collections.abc import Callable

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[Address], bool]

# Every range a feed may never be fetched from, listed so a reviewer can read it.
_NON_PUBLIC = tuple(
    ipaddress.ip_network(net)
    for net in (
        # IPv4: "this network" (0.0.0.0 connects to loopback on Linux), private (RFC 1918),
        # carrier-grade NAT (100.100.100.200 is a cloud metadata service), loopback,
        # link-local (169.254.169.254 is the usual cloud metadata address)
        *("0.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"),
        *("127.0.0.0/8", "169.254.0.0/16"),
        # IETF assignments, documentation, 6to4 relay, benchmarking, multicast, reserved
        *("192.0.0.0/24", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"),
        *("192.88.99.0/24", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4"),
        # IPv6: unspecified, loopback, IPv4-mapped (::ffff:0:0/96) and -compatible (::/96);
        # NAT64, which reaches any IPv4 address through a translator; discard-only
        *("::/8", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64"),
        # IETF assignments incl. Teredo (2001::/32), documentation
        *("2001::/23", "2001:db8::/32", "3fff::/20"),
        # unique local (ULA), link-local, site-local, multicast
        *("fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"),
    )
)
# Everything publicly routable in IPv6 is allocated from here; the rest is special-purpose.
_IPV6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")


def is_public_address(ip: Address) -> bool:
    """Whether ip is on the public internet, so connecting to it cannot reach our own network."""
    if any(ip in net for net in _NON_PUBLIC):
        return False
    if ip.version == 6:
        if ip not in _IPV6_GLOBAL_UNICAST:
            return False
        if ip.sixtofour is not None:  # 2002::/16 tunnels to the IPv4 address it embeds
            return is_public_address(ip.sixtofour)
    flags = (ip.is_private, ip.is_loopback, ip.is_link_local, ip.is_multicast)
    return ip.is_global and not any(flags) and not (ip.is_reserved or ip.is_unspecified)
