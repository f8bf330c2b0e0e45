from tests.live_support import fake  # noqa: F401, E402  (the fake Bot API with the sales group)
from tests.support import db_url, pg_url, sqlite_url  # noqa: F401  (fixtures)
