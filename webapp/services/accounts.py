"""Passwords: hashing, checking in constant work, the policy for new ones, changing one."""
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from ..models import User
from . import sessions
from .errors import Invalid

_hasher = PasswordHasher()
# Checked against when the name is unknown or inactive, so every attempt costs one argon2
# verification with the same parameters: the answer's timing says nothing about the name.
_DUMMY_HASH = _hasher.hash("tonghu: no such account")

MIN_LENGTH = 10
MAX_LENGTH = 256    # argon2 and zxcvbn both cost more with length; no real password is longer
MIN_SCORE = 3       # zxcvbn: about 10^8 guesses; rejects its 30 000 common passwords, keyboard walks, repeats


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(user: User | None, password: str) -> bool:
    """Whether `password` is an active `user`'s; the same work whether or not there is one."""
    if user is None or not user.active:
        _check(_DUMMY_HASH, password)
        return False
    return _check(user.password_hash, password)


def _check(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def password_problem(password: str, *, username: str = "", display_name: str = "") -> str | None:
    """Why `password` may not be chosen (a Chinese message), or None when it may."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if len(password) > MAX_LENGTH:
        return f"密码不能超过 {MAX_LENGTH} 位"
    lowered = password.lower()
    if any(part and len(part) >= 3 and part.lower() in lowered for part in (username, display_name)):
        return "密码不能包含用户名或姓名"
    if zxcvbn(password, user_inputs=[p for p in (username, display_name) if p])["score"] < MIN_SCORE:
        return "密码太常见或太容易猜到（如常用密码、连续或重复的字符、键盘顺序），请换一个更长、更不规则的密码"
    return None


def change_password(session: Session, user: User, new_password: str, confirm: str, now: datetime,
                    reason: str = "password") -> None:
    """Set a new password and end every session and token of the user (the caller opens a new
    one for the browser that made the change)."""
    problem = password_problem(new_password, username=user.username, display_name=user.display_name)
    if problem is None and new_password != confirm:
        problem = "两次输入的新密码不一致"
    if problem is None and _check(user.password_hash, new_password):
        problem = "新密码不能与当前密码相同"
    if problem:
        raise Invalid({"new_password": problem})
    user.password_hash = hash_password(new_password)
    sessions.revoke_all(session, user.id, now, reason)
    session.flush()
