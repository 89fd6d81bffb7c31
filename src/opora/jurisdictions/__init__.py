"""The jurisdictions layer: the law an organisation works under, chosen by `Organisation.jurisdiction`.

Each jurisdiction (Russia, Ukraine) supplies its currency, its identity number, its fee rule, its calendar (the
`holidays` country code), its department kinds, its default catalogue of services and its budget classifier.
The casework code asks `jurisdiction_for(organisation)` instead of assuming Russia. A low layer: it imports only
`lib` (and Django's translation), so that org, people, catalogue, intake, billing and the reports can ask it.
"""

from opora.jurisdictions.base import Jurisdiction, all_jurisdictions, get, jurisdiction_for

__all__ = ["Jurisdiction", "all_jurisdictions", "get", "jurisdiction_for"]
