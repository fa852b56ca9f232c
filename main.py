"""Start SENDesk: with no arguments the app, otherwise the `sendesk` command line."""

import sys

from sendesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
