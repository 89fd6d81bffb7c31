"""API v1: the NinjaAPI instance with one router per domain."""

from opora.api.v1 import (
    activities,
    billing,
    catalogue,
    delivery,
    fieldwork,
    indicators,
    intake,
    money,
    org,
    outreach,
    people,
    plans,
    programmes,
    quality,
    reports,
)
from opora.api.v1.app import api

api.add_router("/", people.router)
api.add_router("/", org.router)
api.add_router("/", catalogue.router)
api.add_router("/", intake.router)
api.add_router("/", programmes.router)
api.add_router("/", delivery.router)
api.add_router("/", billing.router)
api.add_router("/", reports.router)
api.add_router("/", money.router)
api.add_router("/", indicators.router)
api.add_router("/", fieldwork.router)
api.add_router("/", quality.router)
api.add_router("/", activities.router)
api.add_router("/", outreach.router)  # day-stay shifts, brigade trips (issue 13)
api.add_router("/", plans.router)

__all__ = ["api"]
