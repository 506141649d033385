"""Where the fake listens, and which URLs would reach it: every spelling of a loopback host on its port."""

from __future__ import annotations

import pytest

from storefake.listening import Listening


@pytest.fixture
def listening():
    addresses = Listening()
    addresses.add("127.0.0.1", 8080)
    return addresses


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/__storefake/reset",
        "http://localhost:8080/",
        "http://LocalHost.:8080/",
        "http://api.localhost:8080/",
        "http://127.1:8080/",
        "http://127.0.0.2:8080/",
        "http://2130706433:8080/",
        "http://0x7f000001:8080/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]:8080/",
        "http://0.0.0.0:8080/",
        "https://127.0.0.1:8080/",
    ],
)
def test_reaches_every_loopback_spelling_of_its_port(listening, url):
    assert listening.reaches(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8081/",
        "http://127.0.0.1/",
        "https://example.com:8080/",
        "http://[::1",
        "http://127.0.0.1:99999/",
    ],
)
def test_does_not_reach_other_ports_names_or_broken_urls(listening, url):
    assert not listening.reaches(url)


def test_a_fake_bound_to_an_address_is_reached_at_that_address():
    addresses = Listening()
    addresses.add("192.0.2.10", 9000)
    assert addresses.reaches("https://192.0.2.10:9000/")
    assert not addresses.reaches("https://192.0.2.11:9000/")


def test_note_keeps_ip_and_localhost_addresses_only():
    addresses = Listening()
    addresses.note(("testserver", 80))
    addresses.note(("api.bigcommerce.com", 443))
    addresses.note(("127.0.0.1", 5000))
    addresses.note(None)
    assert list(addresses) == [("127.0.0.1", 5000)]
