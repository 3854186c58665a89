"""ITAR-controlled records: the marking they carry and the check before creating or marking one.

Reading is enforced by PostgreSQL: tables with an ``itar`` column have a RESTRICTIVE policy that hides marked
rows unless the transaction's ``app.itar`` is ``on`` (a user a tenant admin flagged ``itar_authorized``)."""

from __future__ import annotations

from mip.identity.errors import ItarNotAuthorized
from mip.identity.service import Principal

MARKING = "ITAR-CONTROLLED: export restricted under 22 CFR 120-130"


def require_itar(principal: Principal, what: str = "ITAR-controlled records") -> None:
    if not principal.itar_authorized:
        raise ItarNotAuthorized(f"only ITAR-authorised users may create or mark {what}")
