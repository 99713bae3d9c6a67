"""The webhook allow-list: listed names and networks only, inward addresses never by a name."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notification.application.destinations import (
    DestinationRefusedError,
    WebhookGuard,
    resolve_host,
)
from notification.domain.destinations import IPAddress, WebhookDestinations, special_range

pytestmark = pytest.mark.unit


def ip(text: str) -> IPAddress:
    return ipaddress.ip_address(text)


def test_each_inward_range_is_named() -> None:
    addresses = [
        "0.0.0.0", "127.0.0.1", "::1", "169.254.169.254", "fe80::1", "224.0.0.1", "ff02::1",
        "10.1.2.3", "172.16.0.1", "192.168.1.1", "fd00::1", "240.0.0.1", "::ffff:127.0.0.1",
        "100.64.0.1", "93.184.216.34", "2606:4700::1",
    ]  # fmt: skip
    assert [special_range(ip(a)) for a in addresses] == [
        "unspecified", "loopback", "loopback", "link-local", "link-local", "multicast",
        "multicast", "private", "private", "private", "private", "reserved", "loopback",
        "non-global", None, None,
    ]  # fmt: skip


def test_an_empty_allow_list_lets_no_webhook_anywhere() -> None:
    nowhere = WebhookDestinations.parse([])
    assert nowhere.refusal("93.184.216.34", [ip("93.184.216.34")]) == (
        "93.184.216.34 is not in the webhook allow-list"
    )
    assert nowhere.refusal("127.0.0.1", [ip("127.0.0.1")]) == (
        "127.0.0.1 is 127.0.0.1, a loopback address, and no listed network of the webhook"
        " allow-list holds it"
    )


def test_a_listed_network_lets_its_addresses_in_and_no_others() -> None:
    loopback = WebhookDestinations.parse(["127.0.0.1/32"])
    assert loopback.refusal("127.0.0.1", [ip("127.0.0.1")]) is None
    assert loopback.refusal("::ffff:127.0.0.1", [ip("::ffff:127.0.0.1")]) is None
    assert "loopback" in str(loopback.refusal("127.0.0.2", [ip("127.0.0.2")]))


def test_a_listed_name_reaches_global_addresses_but_never_inward_ones() -> None:
    # given the certification body's host listed by name
    listed = WebhookDestinations.parse(["Hooks.CQC.example."])
    # then it may resolve to global addresses, in any case and with a trailing dot
    assert listed.refusal("hooks.cqc.example", [ip("93.184.216.34"), ip("2606:4700::1")]) is None
    # but not to a private one among them, until that network is listed too
    both = [ip("93.184.216.34"), ip("10.20.0.5")]
    assert "a private address" in str(listed.refusal("hooks.cqc.example", both))
    intranet = WebhookDestinations.parse(["hooks.cqc.example", "10.20.0.0/16"])
    assert intranet.refusal("hooks.cqc.example", both) is None
    assert listed.refusal("other.example", [ip("93.184.216.34")]) == (
        "other.example is not in the webhook allow-list"
    )
    assert (
        listed.refusal("hooks.cqc.example", [])
        == "hooks.cqc.example does not resolve to an address"
    )


def test_an_entry_that_is_neither_name_nor_network_is_refused() -> None:
    for wrong in ("10.0.0.1/8", "http://hooks.example", "*.example.org", ""):
        with pytest.raises(ValueError, match="neither a host name nor a network"):
            WebhookDestinations.parse([wrong])


@given(st.ip_addresses(), st.booleans())
def test_an_inward_address_needs_its_own_network_listed(address: IPAddress, named: bool) -> None:
    # given any address, behind a listed name or not, with only other networks listed
    listed = WebhookDestinations.parse(["hooks.example"] if named else [])
    host = "hooks.example" if named else str(address)
    refusal = listed.refusal(host, [address])
    # then it is refused exactly when it is inward, or when nothing names it
    if special_range(address) is not None or not named:
        assert refusal is not None
    else:
        assert refusal is None
    # and listing its own network lets it in
    network = ipaddress.ip_network(address)
    assert WebhookDestinations(listed.hostnames, (network,)).refusal(host, [address]) is None


def test_the_guard_aims_the_request_at_the_address_it_judged() -> None:
    answers = {"hooks.cqc.example": [ip("93.184.216.34")]}
    guard = WebhookGuard(
        WebhookDestinations.parse(["hooks.cqc.example"]), lambda host, _port: answers[host]
    )
    assert guard.pinned("https://hooks.cqc.example:8443/ccc?x=1") == (
        "https://93.184.216.34:8443/ccc?x=1",
        {"Host": "hooks.cqc.example:8443"},
        {"sni_hostname": "hooks.cqc.example"},
    )
    answers["hooks.cqc.example"] = [ip("127.0.0.1")]  # the name now resolves inward
    with pytest.raises(DestinationRefusedError, match="a loopback address"):
        guard.pinned("https://hooks.cqc.example:8443/ccc")
    with pytest.raises(DestinationRefusedError, match="not an http"):
        guard.check("ftp://hooks.cqc.example/x")


def test_an_address_literal_resolves_to_itself_without_a_lookup() -> None:
    assert resolve_host("::1", 80) == [ip("::1")]
    assert resolve_host("10.0.0.8", 80) == [ip("10.0.0.8")]


def test_an_unlisted_name_is_refused_without_being_looked_up() -> None:
    looked_up: list[str] = []

    def resolve(host: str, _port: int) -> list[IPAddress]:
        looked_up.append(host)
        return [ip("10.20.0.5")]

    # given the intranet network listed, but not the name
    guard = WebhookGuard(WebhookDestinations.parse(["10.20.0.0/16"]), resolve)
    with pytest.raises(DestinationRefusedError, match=r"^hooks\.intranet is not in the webhook"):
        guard.check("http://hooks.intranet/ccc")
    assert looked_up == []
    assert guard.check("http://10.20.0.5/ccc") == [ip("10.20.0.5")]
