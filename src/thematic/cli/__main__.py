"""``python -m thematic.cli``: the same as the ``thematic`` command."""

from . import main

main()
