"""The `opora` command: Django's management commands under one name.

`opora serve`, `opora demo`, `opora migrate`, `opora createuser`, `opora token create` and the rest
are management commands of Opora's apps; this only points Django at Opora's settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["opora", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
