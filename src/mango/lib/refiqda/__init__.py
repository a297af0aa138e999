"""REFI-QDA exchange (standard 1.5): projects (``.qdpx``) and codebooks (``.qdc``).

Framework-free: dataclasses in ``model``, ``write_*`` in ``writer``, ``read_*`` in ``reader``.
See https://www.qdasoftware.org for the standard; ``reader`` lists what other tools write
differently and how it copes, ``positions`` how positions counted in UTF-16 units (NVivo)
are recognised and converted.
"""

from .model import (
    CODEBOOK_NS,
    PROJECT_NS,
    Case,
    Code,
    Document,
    Note,
    Project,
    RefiQdaError,
    Segment,
    User,
    guid_key,
    new_guid,
    walk_codes,
)
from .positions import (
    AUTO,
    CODE_POINTS,
    READINGS,
    UNIT_NAMES,
    UTF16,
    PositionsDoubtful,
    Reading,
)
from .reader import read_codebook, read_project
from .text import normalise_newlines
from .writer import project_xml, write_codebook, write_project

__all__ = [
    "AUTO",
    "CODE_POINTS",
    "READINGS",
    "UNIT_NAMES",
    "UTF16",
    "PositionsDoubtful",
    "Reading",
    "CODEBOOK_NS",
    "PROJECT_NS",
    "Case",
    "Code",
    "Document",
    "Note",
    "Project",
    "RefiQdaError",
    "Segment",
    "User",
    "guid_key",
    "new_guid",
    "normalise_newlines",
    "project_xml",
    "read_codebook",
    "read_project",
    "walk_codes",
    "write_codebook",
    "write_project",
]
