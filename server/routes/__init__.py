"""The server's HTTP routes, one module per area; app.py includes them all."""

from __future__ import annotations

from . import assignments, attachments, auth, bundles, conflicts, devices, health, sync

ROUTERS = [health.router, auth.router, devices.router, sync.router, bundles.router,
           attachments.router, conflicts.router, assignments.router]
