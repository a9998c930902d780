"""``python -m workbench`` is the ``screening`` command."""

import sys

from .cli import main

sys.exit(main())
