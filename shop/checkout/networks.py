"""The network a customer's request comes from: what the fair-stock limits on unpaid
orders (shop.checkout.reservations) and the fraud rule on failed payments per network
count by.

An IPv4 address is one network: behind a home or mobile operator's address sharing,
everyone on it already shares that one address, so a wider block (/24) would only join
unrelated customers. An IPv6 customer gets a whole /64 (usually more) and can pick a
new address inside it for each request, so IPv6 counts by its /64 prefix. Only a keyed
hash of the network is stored, useless to anyone without SECRET_KEY."""

import ipaddress

from django.utils.crypto import salted_hmac

IPV6_NETWORK_PREFIX = 64


def client_network(address: str) -> str:
    """The network `address` belongs to, as text: the IPv4 address itself (an
    IPv4-mapped IPv6 address counts as its IPv4 address), or the IPv6 /64. Text that
    is not an address is its own network."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 4:
        return str(ip)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_NETWORK_PREFIX}", strict=False))


def client_ip_hash(address: str) -> str:
    """A keyed hash of the network `address` belongs to ("" when it is unknown)."""
    network = client_network(address or "")
    if not network:
        return ""
    return salted_hmac("offtek.fraud.client-ip", network, algorithm="sha256").hexdigest()
