# PyInstaller runtime hook, run before the application in the bundle.
# Alembic loads the migration scripts from .py files in the bundle; never
# write __pycache__ folders beside them, into the install folder (which may
# be read-only, and which the uninstaller must be able to remove whole).
import sys

sys.dont_write_bytecode = True
