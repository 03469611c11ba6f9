"""``python -m legalkg``: the same as the ``legalkg`` command."""

from legalkg.cli import main

main()
