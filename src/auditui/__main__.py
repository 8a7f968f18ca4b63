import sys

from auditui.cli import main

if __name__ == "__main__":  # (never again in a worker process that imports the main module)
    sys.exit(main())
