"""The errors a bad input can cause, each ending a build with one line naming the file.

The command line (``cli``), the pull-request summary and ``mkdocs serve``'s rebuild hook
all map exactly these to "error: …" and exit status 1; anything else is a bug.
"""

from __future__ import annotations

from policy_archive.corrections import CorrectionsError
from policy_archive.datafiles import DataFileError
from policy_archive.ids import UnsafeNameError
from policy_archive.ingest import SeedError
from policy_archive.registry import RegistryError
from policy_archive.render.output import OutputError
from policy_archive.split.prescribed import SplitError

EXPECTED_ERRORS = (SeedError, DataFileError, CorrectionsError, OutputError, UnsafeNameError,
                   SplitError, RegistryError)
