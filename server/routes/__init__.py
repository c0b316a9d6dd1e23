"""The server's HTTP routes, one module per area; app.py includes them all."""

from __future__ import annotations

from . import assignments, attachments, auth, bundles, conflicts, devices, health, set_aside, sync

ROUTERS = [health.router, auth.router, devices.router, sync.router, bundles.router,
           attachments.router, conflicts.router, assignments.router, set_aside.router]
