"""Who is asking: the client address, behind as many trusted proxies as `JIFEN_TRUSTED_PROXIES` says.

The share rate limit and the admin login lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`) both key on
this one function. With no trusted proxy (the default) `X-Forwarded-For` is ignored, since anyone can
send it; with N, the address N hops back from `REMOTE_ADDR` in `X-Forwarded-For` is the client's, each
trusted proxy having appended the address it saw.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.JIFEN_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    hops = [*forwarded, remote]
    # hops[-1] is the last proxy; each trusted proxy vouches for the hop before it.
    candidate = hops[-1 - proxies] if len(hops) > proxies else hops[0]
    return candidate if _is_address(candidate) else remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
