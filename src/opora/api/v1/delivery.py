"""API v1: delivery."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["delivery"])
