"""Console forms of the points rules and sign-in pages. Amounts are typed in yuan; the view
turns them into fen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, FieldList, Form, FormField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.admin.forms import ConsoleForm

STREAK_REWARD_ROWS = 5


class PointsRulesForm(ConsoleForm):
    deduction_enabled = BooleanField(_l("Points deduct at checkout"))
    points_per_yuan = IntegerField(_l("Points worth ¥1"), validators=[InputRequired(), NumberRange(min=1)])
    max_deduction_percent = IntegerField(_l("Points pay at most (percent of the goods)"),
                                         validators=[InputRequired(), NumberRange(min=1, max=100)])
    min_order = DecimalField(_l("Goods of at least (¥) to use points"), places=2,
                             validators=[InputRequired(), NumberRange(min=0)])
    earning_enabled = BooleanField(_l("Completed orders earn points"))
    earn_points_per_yuan = IntegerField(_l("Points earned per ¥1 of goods paid"),
                                        validators=[InputRequired(), NumberRange(min=0, max=1000)])
    expiry_enabled = BooleanField(_l("Points expire at the end of the year after they were earned"))
    count_as_paid = BooleanField(_l("Commission counts points deduction as money paid"))


class StreakRewardForm(Form):
    day = IntegerField(_l("Day of the streak"), validators=[Optional(), NumberRange(min=2, max=366)])
    points = IntegerField(_l("Extra points"), validators=[Optional(), NumberRange(min=1, max=100_000)])


class SignInRulesForm(ConsoleForm):
    enabled = BooleanField(_l("Sign-in open"))
    base_points = IntegerField(_l("Points per sign-in"), validators=[InputRequired(), NumberRange(min=0)])
    streak_rewards = FieldList(FormField(StreakRewardForm), min_entries=STREAK_REWARD_ROWS,
                               max_entries=STREAK_REWARD_ROWS)
