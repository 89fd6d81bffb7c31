from opora.api.v1.app import api

__all__ = ["api"]
