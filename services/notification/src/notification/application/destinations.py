"""The webhook allow-list at work: resolve a URL's host and judge every address it gives.

Used twice: when a directory entry is saved (a refused address is a 422 naming the field) and
just before each send, where the request then goes to the very address judged, so a name that
resolves differently a moment later cannot slip past (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from notification.domain.destinations import IPAddress, WebhookDestinations

Resolver = Callable[[str, int], list[IPAddress]]
DEFAULT_PORTS = {"http": 80, "https": 443}


class DestinationRefusedError(Exception):
    """A webhook URL the allow-list does not let the service reach (the message says why)."""


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """The addresses a host name resolves to (an address literal is itself); none if unknown."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])  # without an IPv6 zone
        if address not in addresses:
            addresses.append(address)
    return addresses


@dataclass(frozen=True)
class WebhookGuard:
    """Judges webhook URLs against the allow-list, resolving their host names."""

    destinations: WebhookDestinations
    resolve: Resolver = resolve_host

    def check(self, url: str) -> list[IPAddress]:
        """The addresses a webhook URL may be sent to; refused with the reason otherwise."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise DestinationRefusedError(f"{url!r} is not a URL: {error}") from error
        if parsed.scheme not in DEFAULT_PORTS or not parsed.host:
            raise DestinationRefusedError(f"{url!r} is not an http(s) URL with a host")
        unlisted = self.destinations.name_refusal(parsed.host)
        if unlisted is not None:  # an unlisted name is not looked up at all
            raise DestinationRefusedError(unlisted)
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
        addresses = self.resolve(parsed.host, port)
        reason = self.destinations.refusal(parsed.host, addresses)
        if reason is not None:
            raise DestinationRefusedError(reason)
        return addresses

    def pinned(self, url: str) -> tuple[str, dict[str, str], dict[str, str]]:
        """The URL aimed at the judged address, the Host header, and the TLS server name.

        The connection goes to the address just judged, not to whatever a second lookup says.
        """
        address = self.check(url)[0]
        parsed = httpx.URL(url)
        aimed = parsed.copy_with(host=str(address))
        extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
        return str(aimed), {"Host": parsed.netloc.decode("ascii")}, extensions
