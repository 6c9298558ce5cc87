#!/usr/bin/env python3
"""Build the archive: repair the seeds in seeds/ and write pages and dataset into docs/.

See README.md; ``python build_archive.py --help`` lists the options.
"""

import sys

from policy_archive.cli import main

if __name__ == "__main__":
    sys.exit(main())
