"""Settings: the shop itself."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.forms import ShopSettingsForm
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.extensions import db
from app.shop import services as shop


@bp.route("/settings/shop", methods=["GET", "POST"])
@area("settings")
def shop_settings():
    settings = shop.shop_settings()
    form = ShopSettingsForm(obj=settings)
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in shop.EDITABLE}
        try:
            shop.update_shop_settings(actor(), values)
        except DomainError as refusal:
            db.session.rollback()
            for name, message in refusal.fields.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.shop_settings"))
    db.session.commit()  # the defaults row, when it was just created
    return render_template("admin/shop_settings.html", form=form)
