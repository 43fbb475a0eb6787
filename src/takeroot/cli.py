"""The ``takeroot`` command: ``run`` (everything at once), ``serve``, ``worker``, ``scheduler``,
``demo``, and every Django management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "takeroot.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    if len(argv) < 2:
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
