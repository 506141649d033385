"""Where the fake itself listens, so that nothing it sends (webhook deliveries) is addressed to itself.

A webhook destination reaching the fake's own port would let one event call the control API (a
`/__storefake/reset` wiping every tenant) and tie up the server with its own deliveries. The addresses come
from where the fake is served (`storefake serve`, `ThreadedServer`) and from the requests it receives.
A destination reaches the fake when its port is one the fake listens on and its host is any spelling of a
loopback or unspecified address (`127.0.0.1`, `127.1`, `2130706433`, `[::1]`, `[::ffff:127.0.0.1]`,
`0.0.0.0`, `localhost`, `x.localhost`) or the very address the fake is bound to. Names are never looked up
in DNS, so other names count as remote.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_of(host: str) -> Address | None:
    """The IP address a literal host names (IPv4 shorthand such as `127.1` included), or None for a name."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))  # 127.1, 2130706433, 0x7f.0.0.1
        except (OSError, ValueError):
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_local(host: str) -> bool:
    """Does `host` name this machine whatever it is bound to (loopback, unspecified, localhost)?"""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = address_of(name)
    return address is not None and (address.is_loopback or address.is_unspecified)


class Listening:
    """The (host, port) pairs the fake is served on; thread-safe, shared by every backend."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._addresses: set[tuple[str, int]] = set()

    def add(self, host: str, port: int) -> None:
        with self._lock:
            self._addresses.add((host, int(port)))

    def discard(self, host: str, port: int) -> None:
        with self._lock:
            self._addresses.discard((host, int(port)))

    def note(self, server: tuple[str, int] | None) -> None:
        """Remember the local address a request came in on, when it is an IP literal or localhost
        (an in-process transport's made-up `testserver` or vendor host is no address of ours)."""
        if server and isinstance(server[1], int) and (is_local(server[0]) or address_of(server[0]) is not None):
            self.add(server[0], server[1])

    def __iter__(self) -> Iterator[tuple[str, int]]:
        with self._lock:
            return iter(sorted(self._addresses))

    def reaches(self, url: str) -> bool:
        """Would a request to `url` arrive at this fake?"""
        try:
            parts = urlsplit(url)
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            return False
        host = parts.hostname or ""
        if port is None or not host:
            return False
        target = address_of(host)
        with self._lock:
            addresses = list(self._addresses)
        for own_host, own_port in addresses:
            if own_port != port:
                continue
            if is_local(host) or (target is not None and target == address_of(own_host)):
                return True
        return False
