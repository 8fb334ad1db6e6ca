"""Users and the chat identities that map platform accounts onto them."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .types import Role, UTCDateTime, utcnow


class UserBase(SQLModel):
    name: str = Field(max_length=100, index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    role: Role = Field(default=Role.rep, sa_type=sa.String(16))
    manager_id: int | None = Field(default=None, foreign_key="user.id")
    language: str = Field(default="zh", max_length=8)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    active: bool = True
    preferences: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserCreate(UserBase):
    pass


class ChatIdentity(SQLModel, table=True):
    """One platform account (Telegram user id, WeChat contact id, console name) of a user."""

    __table_args__ = (sa.UniqueConstraint("platform", "external_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    user_id: int = Field(foreign_key="user.id", index=True)
    chat_id: str | None = Field(default=None, max_length=128)
    linked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InviteCode(SQLModel, table=True):
    """A one-time code a chat user sends as `/start CODE` to link their platform account."""

    code: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
