"""Console forms (WTForms): field-level errors rendered next to each field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoleForm(FlaskForm):
    name = StringField(_l("Role name"), validators=[DataRequired(), Length(max=32)])
    permissions = MultiCheckboxField(_l("Areas"), choices=[])


class StaffForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=64),
        Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Letters, digits, _ . and - only."))])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=64)])
    role_id = SelectField(_l("Role"), coerce=int, choices=[])
    is_active = BooleanField(_l("Active"), default=True)
