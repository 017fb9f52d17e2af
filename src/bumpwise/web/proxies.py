"""The client's address: the connecting peer, unless that peer is a proxy we were told to trust.

``X-Forwarded-For`` is a list each proxy appends to. Read from the right, every address that
belongs to a trusted proxy is skipped; the first one that does not is the client. Anything left
of it was written by the client itself and is never believed.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

Network = IPv4Network | IPv6Network


def is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        parsed = ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


def client_host(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    if peer is None:
        return "unknown"
    if not forwarded_for or not is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            return hop if _is_address(hop) else peer
    return hops[0] if hops else peer


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True
