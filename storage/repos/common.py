"""Helpers shared by the repository modules."""
from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, SQLModel

Row = TypeVar("Row", bound=SQLModel)


def save(row: Row, *, session: Session) -> Row:
    """Add a row and flush so its id is known (audit entries need it)."""
    session.add(row)
    session.flush()
    return row
