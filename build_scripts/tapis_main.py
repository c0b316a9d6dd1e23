"""Entry point of the PyInstaller bundle: the same command line as
``python -m desktop_app`` (the GUI without arguments, ``self-test``, ``check``...)."""

import sys

from desktop_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
