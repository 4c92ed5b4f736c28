"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from app.accounts.models import Role, StaffAccount, User  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.catalog.models import Category, Product, Sku  # noqa: F401
from app.members.models import BalanceEntry, MemberLevel, PointsEntry, Wallet  # noqa: F401
from app.shop.models import ShopSettings  # noqa: F401
