from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; the message is translated and shown to the user.

    `field` names the input the error belongs to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
