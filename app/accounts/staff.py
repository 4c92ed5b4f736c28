"""Console staff: passwords, roles, and logging in with throttling.

Repeated failures for one username (or from one address) lock logging in for a while, so
a password cannot be guessed by trying; the lock is in Redis so every process shares it.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Role, StaffAccount
from app.accounts.permissions import AREAS, BUILTIN_ROLES
from app.core.errors import DomainError, NotFound, ValidationError
from app.core.models import utcnow
from app.extensions import db, redis_client

_password_hasher = PasswordHasher()

MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60  # seconds failures are counted over, and how long the lock lasts
MIN_PASSWORD_LENGTH = 10


class LoginLocked(DomainError):
    status = 429
    code = "login_locked"


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def ensure_builtin_roles() -> dict[str, Role]:
    """Create the built-in roles that are missing (their permissions stay as edited)."""
    roles = {role.code: role for role in db.session.scalars(select(Role))}
    for code, (name, areas) in BUILTIN_ROLES.items():
        if code not in roles:
            roles[code] = Role(code=code, name=str(name), permissions=list(areas), is_builtin=True)
            db.session.add(roles[code])
    db.session.flush()
    return roles


def role_by_code(code: str) -> Role:
    role = db.session.scalar(select(Role).where(Role.code == code))
    if role is None:
        raise NotFound(_("The requested resource does not exist."), code="role_not_found")
    return role


def create_staff(username: str, password: str, *, role: str = "owner", display_name: str = "") -> StaffAccount:
    ensure_builtin_roles()
    staff = StaffAccount(username=username, password_hash=hash_password(password), role=role_by_code(role),
                         display_name=display_name or username)
    db.session.add(staff)
    db.session.flush()
    return staff


def find_staff(username: str) -> StaffAccount | None:
    return db.session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def set_staff_password(username: str, password: str) -> StaffAccount:
    staff = find_staff(username)
    if staff is None:
        raise NotFound(_("The requested resource does not exist."))
    staff.password_hash = hash_password(password)
    staff.auth_version += 1  # a new password ends every other session
    db.session.flush()
    return staff


def validate_role_permissions(permissions: list[str]) -> list[str]:
    unknown = sorted(set(permissions) - set(AREAS))
    if unknown:
        raise ValidationError(_("Some fields are invalid."),
                              fields={"permissions": _("Unknown area: %(areas)s", areas=", ".join(unknown))})
    return [area for area in AREAS if area in permissions]


def change_staff_role(staff: StaffAccount, role: Role) -> None:
    """A privilege change: the staff member's existing sessions end."""
    if staff.role_id != role.id:
        staff.role = role
        staff.auth_version += 1
        db.session.flush()


def _failure_keys(username: str, address: str) -> tuple[str, str]:
    return f"fenxiao:login-failures:user:{username.lower()}", f"fenxiao:login-failures:ip:{address}"


def authenticate(username: str, password: str, address: str) -> StaffAccount:
    """The staff account for these credentials; refuses while locked after repeated failures."""
    keys = _failure_keys(username, address)
    counts = [int(value or 0) for value in redis_client.mget(keys)]
    if counts[0] >= MAX_FAILURES or counts[1] >= MAX_FAILURES * 4:
        raise LoginLocked(_("Too many failed attempts. Try again in %(minutes)s minutes.",
                            minutes=FAILURE_WINDOW // 60))
    staff = find_staff(username)
    if staff is None or not staff.is_active or not password_matches(staff.password_hash, password):
        with redis_client.pipeline() as pipe:
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, FAILURE_WINDOW)
            pipe.execute()
        raise LoginFailed(_("Wrong username or password."))
    redis_client.delete(keys[0])
    staff.last_login_at = utcnow()
    db.session.flush()
    return staff
