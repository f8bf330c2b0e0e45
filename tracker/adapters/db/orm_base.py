"""The declarative base every table shares, and the column types they use (times in UTC)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlalchemy import BigInteger, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column

from tracker.adapters.db.utc_type import UTCDateTime

utc = Annotated[datetime, mapped_column(UTCDateTime)]
utc_or_none = Annotated[datetime | None, mapped_column(UTCDateTime)]
chat_id = Annotated[int, mapped_column(BigInteger)]
user_id = Annotated[int, mapped_column(BigInteger)]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
