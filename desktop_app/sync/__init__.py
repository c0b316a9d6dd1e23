"""Sync on the laptop: the HTTP client and the engine (push, pull,
attachments, conflicts), bundles and their office relay. The messages they
exchange with the server are the shared desktop_app.protocol. No Qt here:
the GUI runs the engine on a worker and adapts its progress callbacks to
signals."""
