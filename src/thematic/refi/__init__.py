"""REFI-QDA project exchange (.qdpx / .qde): open other tools' projects and hand ours back.

    >>> from thematic import refi
    >>> imported = refi.load_qdpx("colleague.qdpx")      # doctest: +SKIP
    >>> refi.save_qdpx(project, "out/study.qdpx")        # doctest: +SKIP
"""

from .load import RefiProject, load_qdpx
from .save import project_xml, save_qdpx
from .store import import_into

__all__ = ["load_qdpx", "save_qdpx", "project_xml", "import_into", "RefiProject"]
