"""API v1: the NinjaAPI instance with one router per domain."""

from opora.api.v1 import catalogue, org, people
from opora.api.v1.app import api

api.add_router("/", people.router)
api.add_router("/", org.router)
api.add_router("/", catalogue.router)

__all__ = ["api"]
