"""The reports app keeps no tables of its own: it reads the journal's monthly aggregates (delivery.models)."""
