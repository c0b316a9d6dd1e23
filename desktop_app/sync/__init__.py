"""Sync: the wire protocol, the HTTP client and the engine (push, pull,
attachments, conflicts). No Qt here: the GUI runs the engine on a worker and
adapts its progress callbacks to signals."""
