"""Console forms of the distribution pages. Rates are typed as percentages and amounts in
yuan; the views turn them into basis points and fen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app.admin.forms import ConsoleForm, MultiCheckboxField


class DistributionSettingsForm(ConsoleForm):
    enabled = BooleanField(_l("Distribution on"))
    levels = IntegerField(_l("Commission levels (0-3)"), validators=[InputRequired()])
    rate1 = DecimalField(_l("Level 1 rate (%)"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    rate2 = DecimalField(_l("Level 2 rate (%)"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    rate3 = DecimalField(_l("Level 3 rate (%)"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    base = SelectField(_l("Commission base"), choices=[("paid", _l("Paid amount (freight excluded)")),
                                                       ("profit", _l("Profit (paid minus cost)"))])
    self_purchase = BooleanField(_l("Self-purchase rebate: an agent's own purchase pays them level 1"))
    become_agent = SelectField(_l("Becoming an agent"), choices=[
        ("auto", _l("Everyone, automatically")), ("apply", _l("Apply and be reviewed")),
        ("product", _l("After buying one of the chosen products")), ("spend", _l("After spending at least"))])
    become_product_ids = StringField(_l("Chosen products"),
                                     validators=[Optional(), Regexp(r"^[\d,\s]*$"), Length(max=2000)])
    become_spend = DecimalField(_l("Spend threshold (¥)"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    bind_eligibility = SelectField(_l("Who can be bound"), choices=[("all", _l("All shoppers")),
                                                                     ("new_only", _l("Only shoppers who never paid"))])
    bind_mode = SelectField(_l("Binding mode"), choices=[("permanent", _l("Permanent: first referrer wins")),
                                                         ("expiring", _l("Expires after some days")),
                                                         ("latest", _l("Always the latest referrer"))])
    bind_days = IntegerField(_l("Binding days (expiring mode)"), validators=[InputRequired()])
    freeze_days = IntegerField(_l("Freeze days after the order completes"), validators=[InputRequired()])
    fan_points = IntegerField(_l("Points per new shopper an agent brings (0: off)"), validators=[InputRequired()])
    fan_points_daily_cap = IntegerField(_l("Rewarded new shoppers per agent per day"), validators=[InputRequired()])
    withdraw_methods = MultiCheckboxField(_l("Withdrawal methods"), choices=[
        ("wechat", _l("WeChat change")), ("balance", _l("Store balance")), ("bank", _l("Bank card")),
        ("alipay", _l("Alipay"))])
    withdraw_min = DecimalField(_l("Minimum per withdrawal (¥)"), places=2, validators=[InputRequired()])
    withdraw_max = DecimalField(_l("Maximum per withdrawal (¥)"), places=2, validators=[InputRequired()])
    withdraw_fee = DecimalField(_l("Withdrawal fee (%), none to balance"), places=2,
                                validators=[InputRequired(), NumberRange(min=0)])
    withdraw_daily_limit = IntegerField(_l("Withdrawals per agent per day"), validators=[InputRequired()])
    withdraw_auto_below = DecimalField(_l("Approve automatically below (¥, 0: always review)"), places=2,
                                       validators=[InputRequired(), NumberRange(min=0)])


class AppointForm(ConsoleForm):
    user_id = IntegerField(_l("Member ID"), validators=[InputRequired(), NumberRange(min=1)])


class RejectForm(ConsoleForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])


class AgentLevelForm(ConsoleForm):
    """An agent level: rates left empty inherit the global ones; conditions left at 0 are off."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=32)])
    rank = IntegerField(_l("Rank (higher is better)"), validators=[InputRequired()])
    rate1 = DecimalField(_l("Level 1 rate (%)"), places=2, validators=[Optional(), NumberRange(min=0)])
    rate2 = DecimalField(_l("Level 2 rate (%)"), places=2, validators=[Optional(), NumberRange(min=0)])
    rate3 = DecimalField(_l("Level 3 rate (%)"), places=2, validators=[Optional(), NumberRange(min=0)])
    match = SelectField(_l("Upgrade when"), choices=[("all", _l("All conditions are met")),
                                                     ("any", _l("Any condition is met"))])
    direct_invites = IntegerField(_l("Direct invites at least"), default=0, validators=[Optional()])
    team_size = IntegerField(_l("Team size at least"), default=0, validators=[Optional()])
    own_spend = DecimalField(_l("Own spend at least (¥)"), places=2, default=0, validators=[Optional()])
    team_sales = DecimalField(_l("Team sales at least (¥)"), places=2, default=0, validators=[Optional()])
    commission = DecimalField(_l("Commission earned at least (¥)"), places=2, default=0, validators=[Optional()])

    CONDITIONS = (("direct_invites", "direct_invites", 1), ("team_size", "team_size", 1),
                  ("own_spend", "own_spend_fen", 100), ("team_sales", "team_sales_fen", 100),
                  ("commission", "commission_fen", 100))

    def rates_bp(self) -> list[int | None]:
        return [None if field.data is None else int(field.data * 100) for field in (self.rate1, self.rate2, self.rate3)]

    def upgrade_rules(self) -> dict:
        conditions = []
        for field_name, kind, scale in self.CONDITIONS:
            value = getattr(self, field_name).data
            if value:
                conditions.append({"kind": kind, "min": int(value * scale)})
        return {"match": self.match.data, "conditions": conditions} if conditions else {}

    @classmethod
    def values_of(cls, level) -> dict:
        from decimal import Decimal

        values = {"name": level.name, "rank": level.rank, "match": (level.upgrade_rules or {}).get("match", "all")}
        for index, rate in enumerate([level.rate1_bp, level.rate2_bp, level.rate3_bp], start=1):
            values[f"rate{index}"] = None if rate is None else Decimal(rate) / 100
        minimums = {item["kind"]: item["min"] for item in (level.upgrade_rules or {}).get("conditions", [])}
        for field_name, kind, scale in cls.CONDITIONS:
            values[field_name] = Decimal(minimums.get(kind, 0)) / scale if scale > 1 else minimums.get(kind, 0)
        return values
