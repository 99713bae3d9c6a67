"""Where a webhook may send: an allow-list of hosts and networks, judged on addresses.

A notice carries a case's facts (the CNCA report among them), so a webhook reaches only what
the bureau listed in its settings: a host listed by name (an unlisted name is not even looked
up), or an address inside a listed network.
An address no one should reach from outside (loopback, link-local, private, multicast,
reserved, unspecified, or otherwise not global) is refused even behind a listed name, unless
its own network is listed: a name is only as good as what it resolves to, and it is judged
again at send time, so a name that later resolves inward (DNS rebinding) is refused then too.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
)
# The ranges named, in the order a refusal names them (127.0.0.1 is loopback before private).
SPECIAL_RANGES = (
    ("unspecified", "is_unspecified"),
    ("loopback", "is_loopback"),
    ("link-local", "is_link_local"),
    ("multicast", "is_multicast"),
    ("reserved", "is_reserved"),  # 240.0.0.0/4 before private, which Python counts it in
    ("private", "is_private"),
)


def plain_address(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped IPv6 one (``::ffff:127.0.0.1``), else itself."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def special_range(address: IPAddress) -> str | None:
    """The kind of range an address no one should reach from outside is in, or None."""
    plain = plain_address(address)
    for name, test in SPECIAL_RANGES:
        if getattr(plain, test):
            return name
    return None if plain.is_global else "non-global"


def normal_hostname(host: str) -> str:
    """A host name as compared: lower case, without a trailing dot."""
    return host.strip().lower().rstrip(".")


@dataclass(frozen=True)
class WebhookDestinations:
    """The allow-list: host names and networks a webhook may reach."""

    hostnames: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> WebhookDestinations:
        """From settings: each entry a host name, an address, or a CIDR network."""
        hostnames: set[str] = set()
        networks: list[Network] = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip()))
                continue
            except ValueError:
                pass
            name = normal_hostname(entry)
            if not HOSTNAME.match(name):
                raise ValueError(
                    f"{entry!r} is neither a host name nor a network (such as 10.20.0.0/16)"
                )
            hostnames.add(name)
        return cls(frozenset(hostnames), tuple(networks))

    def listed_network(self, address: IPAddress) -> bool:
        """Whether a listed network holds the address."""
        plain = plain_address(address)
        return any(plain in network or address in network for network in self.networks)

    def name_refusal(self, host: str) -> str | None:
        """Why a URL's host is refused before any lookup: a name must be listed by name (an
        address literal is judged by its network), so no unlisted name is ever resolved."""
        name = normal_hostname(host)
        if is_address(name) or name in self.hostnames:
            return None
        return f"{host} is not in the webhook allow-list"

    def refusal(self, host: str, addresses: Sequence[IPAddress]) -> str | None:
        """Why a webhook to ``host``, resolving to ``addresses``, may not be sent; None if it may.

        Every address must pass: a name resolving to several is refused if any is refused.
        """
        refused = self.name_refusal(host)
        if refused is not None:
            return refused
        if not addresses:
            return f"{host} does not resolve to an address"
        for address in addresses:
            if self.listed_network(address):
                continue
            kind = special_range(address)
            if kind is not None:
                return (
                    f"{host} is {plain_address(address)}, a {kind} address, and no listed"
                    " network of the webhook allow-list holds it"
                )
            if is_address(host):
                return f"{host} is not in the webhook allow-list"
        return None


def is_address(host: str) -> bool:
    """Whether a URL's host is an IP address literal rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
