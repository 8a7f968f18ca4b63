import sys

from auditui.cli import main

sys.exit(main())
