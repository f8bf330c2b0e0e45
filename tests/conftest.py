from tests.support import db_url, pg_url, sqlite_url  # noqa: F401  (fixtures)
