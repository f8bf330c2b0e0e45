"""The conduct tables: the warnings ledger, removals after the warn limit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.adapters.db.orm_base import Base, chat_id, user_id, utc, utc_or_none


class WarningRecord(Base):  # the warnings ledger: a leader's /warn or a conduct rule's, once each
    __tablename__ = "warnings"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", "user_id", "rule"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    message_id: Mapped[int] = mapped_column(BigInteger)  # the evidence (or the /warn itself)
    user_id: Mapped[user_id]
    rule: Mapped[str] = mapped_column(String(16))  # flood | rate | ad | link | … | manual
    name: Mapped[str] = mapped_column(String(255))
    at: Mapped[utc]
    by: Mapped[int | None] = mapped_column(BigInteger)  # the leader; null for a rule
    words: Mapped[str] = mapped_column(Text)  # what showed it, or the leader's reason
    action: Mapped[str] = mapped_column(String(16))  # warn | delete | mute
    revoked_at: Mapped[utc_or_none]
    revoked_by: Mapped[int | None] = mapped_column(BigInteger)


class RemovalRecord(Base):  # a removal proposed at the warn limit, and its decision
    __tablename__ = "removals"
    __table_args__ = (UniqueConstraint("chat_id", "proposal_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    proposal_id: Mapped[int] = mapped_column(BigInteger)  # the warning that reached the limit
    user_id: Mapped[user_id]
    name: Mapped[str] = mapped_column(String(255))
    proposed_at: Mapped[utc]
    reasons: Mapped[str] = mapped_column(Text)  # the rules warned for, comma-separated
    needed: Mapped[int]  # leaders who must confirm
    status: Mapped[str] = mapped_column(String(16))  # pending | removed | kept | lapsed
    confirmed_by: Mapped[str] = mapped_column(Text)  # leader ids, comma-separated, in order
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[utc_or_none]
