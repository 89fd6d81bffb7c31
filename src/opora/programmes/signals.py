"""What other apps hear of a programme's or a contract's life, without programmes importing them (billing is a
layer above programmes: pyproject.toml [tool.importlinter])."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by programmes.actions.do_undo_termination inside its transaction, once the contract, the service and the
# programme are in force again: ``sender=Contract, contract=<Contract>, terminated_on=<date undone>, actor=<Actor>``.
# A receiver does its part through its own action (audited) and returns a list of messages for the user (or None);
# an exception undoes the whole undo. billing connects billing.actions.recompute_after_undo (billing/apps.py).
termination_undone = Signal()
