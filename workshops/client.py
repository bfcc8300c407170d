"""The address a request comes from: one answer for every rate limit and for django-axes."""

import ipaddress

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT reverse proxies, the address
    the outermost of them received the request from.

    Each trusted proxy appends the address it got the request from to X-Forwarded-For, so the client
    is the TRUSTED_PROXY_COUNT-th entry from the right; anything left of it is whatever the client
    sent, and is never believed. A request with fewer entries did not pass every proxy: it gets the
    address that connected. With no trusted proxy the header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    # django-ipware counts the proxies listed in the header after the client: the last proxy is
    # REMOTE_ADDR and not in it, hence count - 1. Only X-Forwarded-For, which our proxies set: any
    # other header it knows (X-Real-IP, ...) would come straight from the client.
    address, _routable = get_client_ip(
        request, proxy_count=count - 1, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False
    )
    return address or remote


def client_bucket(request) -> str:
    """What every rate limit and django-axes count a client by: an IPv4 address whole, an IPv6
    address by its /64 (written as the network's first address, so it is still an address).

    One host or home gets a whole IPv6 /64 (2**64 addresses) and may send each request from a new
    one: counted by the full address, it would have unlimited buckets. An IPv4 address written as
    IPv6 (`::ffff:198.51.100.9`) counts as the IPv4 address. Anything else is kept as it is.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(parsed) >> 64 << 64, 64)).network_address)
    return str(parsed)
