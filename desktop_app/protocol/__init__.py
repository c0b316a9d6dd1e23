"""The sync protocol: what the laptop and the provincial server share.

Nothing here knows the laptop's store, Qt, the HTTP client or the server's
framework; the server imports this package (and ``desktop_app.models``) and
nothing else of the laptop, and both sides speak through it:

- :mod:`.messages` the request and answer shapes, read through the package:
  ``protocol.Change``, ``protocol.PROTOCOL_VERSION``;
- :mod:`.wire` field values on the wire, converted by column type;
- :mod:`.bundle` the sealed sync bundle file (format only: bytes in, bytes out);
- :mod:`.hashing` content addresses (SHA-256 of a photo's bytes);
- :mod:`.clock` hybrid logical clock stamps;
- :mod:`.checksum` the digest of a pull scope both sides compute;
- :mod:`.schema` the laptop schema revisions a reader knows (for bundles).

The messages load on first use, not with the package: the laptop's store
imports the clock at every start and should not pay for pydantic there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .messages import *  # noqa: F403


def __getattr__(name: str) -> Any:
    """``protocol.X`` is ``protocol.messages.X`` (PEP 562), imported on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    messages = importlib.import_module(f"{__name__}.messages")
    try:
        return getattr(messages, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
