"""The use cases the GUI and the command line call: save, finalise,
supersede, delete, get, list, search, export, report, back up. One unit of
work per call; no Qt here, and the GUI never holds a database session."""
