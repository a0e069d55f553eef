"""Allow ``python -m dlsim``."""

import sys

from dlsim.cli import main

sys.exit(main())
