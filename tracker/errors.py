"""The TrackerError family: raised at the edges, shown as one line by the CLI."""


class TrackerError(Exception):
    """Base of every error the user should see as one clear line."""

    exit_code = 1


class ConfigError(TrackerError):
    """The TOML config is missing, malformed or has a wrong key or value."""

    exit_code = 2


class ExportFormatError(TrackerError):
    """A chat export file is unreadable or not a Telegram Desktop export."""

    exit_code = 2


class UnknownChat(TrackerError):
    """A chat that the config does not describe."""

    exit_code = 2


class NotAllowed(TrackerError):
    """A member tried something only a leader may do."""

    exit_code = 3


class DatabaseError(TrackerError):
    """The database URL is wrong or the database cannot be reached."""

    exit_code = 2


class DatabaseInUse(DatabaseError):
    """Another process holds the database's writer lock (`tracker.adapters.writer_lock`)."""


class StaleState(DatabaseError):
    """Another process changed an assignment since this one loaded it; nothing was written."""


class MonthClosed(TrackerError):
    """A change to the fines of a month that finance has closed."""

    exit_code = 2


class BadRequest(TrackerError):
    """A command-line argument that cannot be used (a month, a date, a chat id)."""

    exit_code = 2
