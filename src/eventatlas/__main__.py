import sys

from eventatlas.cli.main import main

sys.exit(main())
