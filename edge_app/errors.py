"""The one base class for errors a user can cause and fix (bad file, corrupt bundle, missing backend).

`drape` prints such an error as one line, `drape: <message>`, and exits 2; anything else is a bug and keeps
its traceback. Cloud-side errors (trainer, export) subclass it too, so the CLI catches one class.
"""


class DrapeError(Exception):
    """An error whose message says what went wrong and what to do."""
