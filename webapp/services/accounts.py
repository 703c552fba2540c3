"""Passwords, logins and API tokens."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import User

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        _hasher.hash(password)  # same work either way: no hint that the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="tonghu-api-token")


def issue_token(secret: str, user: User) -> str:
    # The hash fragment makes a password change void every token issued before it.
    return _serializer(secret).dumps({"uid": user.id, "pw": user.password_hash[-16:]})


def user_from_token(session: Session, secret: str, token: str, max_age: int) -> User | None:
    try:
        payload = _serializer(secret).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = session.get(User, payload.get("uid"))
    if user is None or not user.active or user.password_hash[-16:] != payload.get("pw"):
        return None
    return user
