"""The one base of every error Tapis tells a person about.

A refusal or failure anywhere (a field that breaks a rule, a bundle that was
altered, a server that cannot be reached, a PIN too easy to guess, a backup
that is not a database) says what is wrong and what to do, in Indonesian and
English, and carries a stable ``reason`` code for programs and tests. The
GUI shows any of them through one function; the command line prints both
sentences; the server answers with them. No Qt, no store: the laptop and
the server share it.
"""

from __future__ import annotations


class TapisError(Exception):
    """Something Tapis refused or could not do, said so a person can act on it.

    ``reason``: a stable code ('not_found', 'tampered', 'offline', ...);
    each subclass names its own, a caller may give a finer one.
    ``message_id`` / ``message_en``: whole sentences, what is wrong and the fix.
    """

    reason: str = "refused"

    def __init__(self, message_id: str, message_en: str, *, reason: str | None = None) -> None:
        super().__init__(f"{message_id} / {message_en}")
        self.message_id = message_id
        self.message_en = message_en
        if reason is not None:
            self.reason = reason

    def message(self, language: str = "id") -> str:
        """The sentence in ``language`` ('id' or 'en'); Indonesian otherwise."""
        return self.message_en if language == "en" else self.message_id
