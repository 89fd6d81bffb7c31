from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "opora.billing"
    label = "billing"

    def ready(self) -> None:
        from opora.billing.actions import recompute_after_undo
        from opora.programmes.signals import termination_undone

        # the undo of a termination brings the months already charged back (issue 11)
        termination_undone.connect(recompute_after_undo, dispatch_uid="billing_recompute_after_undo")
