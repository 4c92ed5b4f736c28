"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from app.accounts.models import Role, StaffAccount, User  # noqa: F401
from app.addresses.models import Address  # noqa: F401
from app.audit.models import AuditEntry  # noqa: F401
from app.cart.models import CartItem  # noqa: F401
from app.catalog.models import Category, HotSearchWord, Product, Sku  # noqa: F401
from app.core.schedule_claims import ScheduledRun  # noqa: F401
from app.distribution.models import (  # noqa: F401
    Agent,
    AgentAccount,
    AgentApplication,
    AgentLevel,
    AgentRollup,
    BindingEvent,
    CommissionEntry,
    CommissionLine,
    CommissionRefund,
    DistributionSettings,
    ProductCommissionRule,
    ReferralBinding,
    TeamCounter,
    Withdrawal,
)
from app.exports.models import ExportJob  # noqa: F401
from app.marketing.bargain_models import Bargain, BargainActivity, BargainHelp  # noqa: F401
from app.marketing.coupon_models import (  # noqa: F401
    Coupon,
    CouponDailyClaim,
    CouponEvent,
    CouponHolding,
    CouponSettings,
    CouponTemplate,
)
from app.marketing.flash_models import FlashActivity, FlashHolding, FlashItem, FlashSession  # noqa: F401
from app.marketing.full_reduction_models import FullReductionActivity, FullReductionTier  # noqa: F401
from app.marketing.group_models import GroupActivity, GroupBuyGroup, GroupBuyMember  # noqa: F401
from app.marketing.points_models import OrderPoints, PointsRules, SignIn, SignInRules  # noqa: F401
from app.media.models import MediaFile, MediaFolder, MediaUsage  # noqa: F401
from app.members.growth_models import GrowthSettings, LevelChange  # noqa: F401
from app.members.models import BalanceEntry, GrowthEntry, MemberLevel, PointsEntry, Wallet  # noqa: F401
from app.notifications.models import SubscribeMessage, SubscribeTemplate  # noqa: F401
from app.officialaccount.menu_models import OfficialAccountMenu  # noqa: F401
from app.officialaccount.models import Fan, KeywordRule, SceneTouch, SpecialReply  # noqa: F401
from app.officialaccount.settings_models import OaSettings  # noqa: F401
from app.orders.models import (  # noqa: F401
    AfterSale,
    Order,
    OrderDayWindow,
    OrderItem,
    OrderLog,
    OrderSearchTerm,
    OrderStatusCount,
    Parcel,
    ParcelLine,
)
from app.payments.models import Payment, Refund, Transfer  # noqa: F401
from app.posters.models import PosterScan, PosterTemplateSetting  # noqa: F401
from app.reports.models import DailyShopFigures, DirtyDay, RollupRefresh  # noqa: F401
from app.shipping.models import ShippingFreeRule, ShippingRegionRule, ShippingTemplate  # noqa: F401
from app.shop.models import ShopSettings  # noqa: F401
