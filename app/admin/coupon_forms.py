"""Console forms of the coupon pages: a template, sending one, the gift settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.admin.forms import ConsoleForm
from app.marketing.coupon_models import COUPON_KIND_LABELS, COUPON_SCOPE_LABELS, COUPON_VALIDITY_LABELS

DATE = r"^\d{4}-\d{2}-\d{2}$"


class CouponTemplateForm(ConsoleForm):
    name = StringField(_l("Coupon name"), validators=[DataRequired(), Length(max=40)])
    kind = RadioField(_l("Kind"), choices=list(COUPON_KIND_LABELS.items()), default="amount_off")
    threshold = StringField(_l("Threshold: goods in scope at least (yuan, 0 for none)"), default="0")
    amount = StringField(_l("Amount off (yuan)"), default="0")
    rate = StringField(_l("Discount (e.g. 8.5 for 85%)"), default="")
    cap = StringField(_l("At most off (yuan, empty for no cap)"), default="")
    scope = SelectField(_l("Applies to"), choices=list(COUPON_SCOPE_LABELS.items()), default="all")
    product_ids = HiddenField()
    category_ids = HiddenField()
    validity = RadioField(_l("Valid"), choices=list(COUPON_VALIDITY_LABELS.items()), default="days")
    valid_from = StringField(_l("From (Beijing date)"), validators=[Optional()])
    valid_until = StringField(_l("Until (Beijing date, inclusive)"), validators=[Optional()])
    valid_days = IntegerField(_l("Days from receipt"), default=7, validators=[Optional()])
    total = IntegerField(_l("Total to give (empty: unlimited)"), validators=[Optional()])
    per_user_limit = IntegerField(_l("Per shopper in all (empty: unlimited)"), validators=[Optional()])
    per_user_daily_limit = IntegerField(_l("Per shopper per day (empty: unlimited)"), validators=[Optional()])
    stacks_with_full_reduction = BooleanField(_l("Can be used with full-reduction activities"), default=True)
    enabled = BooleanField(_l("Enabled"), default=True)
    points_price = IntegerField(_l("Points to exchange for one (0: not exchangeable)"), default=0,
                                validators=[InputRequired(), NumberRange(min=0, max=10_000_000)])
    in_centre = BooleanField(_l("Shown in the coupon centre"))


class CouponSendForm(ConsoleForm):
    user_ids = HiddenField()
    level_id = SelectField(_l("Or every member of a level"), choices=[], validate_choice=False)
    request_key = HiddenField()


class CouponGiftSettingsForm(ConsoleForm):
    invitee_template_id = SelectField(_l("Invitee gift (given when a shopper is bound to an agent)"), choices=[],
                                      validate_choice=False)
    order_gift_template_id = SelectField(_l("Order amount gift (given when the order completes)"), choices=[],
                                         validate_choice=False)
    order_gift_threshold = StringField(_l("Orders paying at least (yuan)"), default="0")
    return_on_full_refund = BooleanField(_l("Return the coupon when an order is refunded in full before shipping"))
