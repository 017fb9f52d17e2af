"""Import other exercise libraries and classify them into the bumpwise vocabulary (issue 4).

Pure Python: no web or database imports. The pipeline is

    read (size-limited JSON) → parse (strict, per source format) → classify → ImportedExercise

and nothing is returned, printed or saved unless the whole file parsed. ``store`` keeps imported
exercises in a local JSON library until the web app moves them into the database.
"""

from __future__ import annotations

from bumpwise.importing.service import SOURCES, import_file, import_text

__all__ = ["SOURCES", "import_file", "import_text"]
