"""Console forms (WTForms): field-level errors rendered next to each field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.request_models import is_clean_text
from app.shop.theme import BRAND_COLOUR_LABELS, THEME_MODE_LABELS

REFUSED_CHARACTERS = "Control characters and invisible formatting characters are not allowed."


class ConsoleForm(FlaskForm):
    """A console form whose typed text refuses control and invisible formatting characters,
    as the API's Text fields do (newlines and tabs allowed in text areas); passwords are the
    merchant's own business and are left alone."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, StringField) and not isinstance(field, PasswordField) \
                    and isinstance(field.data, str) \
                    and not is_clean_text(field.data, multiline=isinstance(field, TextAreaField)):
                field.errors = [*field.errors, _(REFUSED_CHARACTERS)]
                valid = False
        return valid


class LoginForm(ConsoleForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoleForm(ConsoleForm):
    name = StringField(_l("Role name"), validators=[DataRequired(), Length(max=32)])
    permissions = MultiCheckboxField(_l("Areas"), choices=[])


class StaffForm(ConsoleForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=64),
        Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, _ . and - only."))])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=64)])
    role_id = SelectField(_l("Role"), coerce=int, choices=[])
    is_active = BooleanField(_l("Active"), default=True)


class AdjustmentForm(ConsoleForm):
    """A balance (yuan) or points adjustment; `request_key` makes a double submit count once."""

    direction = SelectField(_l("Change"), choices=[("add", _l("Increase")), ("deduct", _l("Deduct"))])
    amount = StringField(_l("Amount"), validators=[DataRequired(), Length(max=16)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=255)])
    request_key = HiddenField()


class LevelForm(ConsoleForm):
    name = StringField(_l("Level name"), validators=[DataRequired(), Length(max=32)])
    growth_threshold = StringField(_l("Growth to reach it"), validators=[Optional(), Length(max=12)])
    discount = StringField(_l("Discount (e.g. 9.5 for 95%)"), validators=[DataRequired()])
    points_multiplier = StringField(_l("Points multiplier (e.g. 1.5)"), validators=[DataRequired(), Length(max=8)])
    free_shipping = BooleanField(_l("Free delivery"))
    monthly_coupon = SelectField(_l("Monthly coupon"), choices=[], default="")
    badge_url = StringField(_l("Badge"), validators=[Optional(), Length(max=512)])
    benefits = TextAreaField(_l("Benefits"), validators=[Optional(), Length(max=2000)])


class GrowthRulesForm(ConsoleForm):
    per_yuan = IntegerField(_l("Growth per yuan paid"), validators=[InputRequired()])
    per_sign_in = IntegerField(_l("Growth per daily sign-in"), validators=[InputRequired()])
    yearly_downgrade = BooleanField(_l("Review levels every year"))


class ShopSettingsForm(ConsoleForm):
    name = StringField(_l("Shop name"), validators=[DataRequired(), Length(max=64)])
    logo_url = StringField(_l("Logo URL"), validators=[Optional(), Length(max=512)])
    service_phone = StringField(_l("Service phone"), validators=[Optional(), Length(max=32)])
    home_page = SelectField(_l("Home page"), choices=[("default", _l("Standard home page")),
                                                        ("category", _l("Categories first")),
                                                        ("custom", _l("Custom page"))])
    unpaid_close_minutes = IntegerField(_l("Close unpaid orders after (minutes)"), validators=[InputRequired()])
    auto_receive_days = IntegerField(_l("Confirm receipt automatically after (days)"), validators=[InputRequired()])
    after_sale_days = IntegerField(_l("After-sales window (days)"), validators=[InputRequired()])
    pay_wechat = BooleanField(_l("WeChat Pay"))
    pay_balance = BooleanField(_l("Balance"))
    pay_cod = BooleanField(_l("Cash on delivery"))
    auto_off_shelf_when_sold_out = BooleanField(_l("Take products off shelf when their stock runs out"))
    theme_mode = RadioField(_l("Console look"), choices=list(THEME_MODE_LABELS.items()))
    brand_colour = RadioField(_l("Brand colour"), choices=list(BRAND_COLOUR_LABELS.items()))

