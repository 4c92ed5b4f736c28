"""Settings: staff accounts and roles. Every change is audited."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts import staff as staff_service
from app.accounts.models import Role, StaffAccount
from app.accounts.permissions import AREAS
from app.admin import bp
from app.admin.forms import RoleForm, StaffForm
from app.admin.security import actor, area, current_staff, refresh_privileges
from app.audit import services as audit
from app.core.errors import DomainError
from app.extensions import db


def _role_snapshot(role: Role) -> dict:
    return {"name": role.name, "permissions": list(role.permissions)}


def _staff_snapshot(staff: StaffAccount) -> dict:
    return {"display_name": staff.display_name, "role": staff.role.code, "is_active": staff.is_active}


@bp.get("/settings/staff")
@area("settings")
def staff_list():
    accounts = db.session.scalars(select(StaffAccount).order_by(StaffAccount.id)).all()
    roles = db.session.scalars(select(Role).order_by(Role.id)).all()
    return render_template("admin/staff_list.html", accounts=accounts, roles=roles, areas=AREAS)


@bp.route("/settings/staff/new", methods=["GET", "POST"])
@area("settings")
def staff_new():
    form = StaffForm()
    form.role_id.choices = [(role.id, role.name) for role in db.session.scalars(select(Role).order_by(Role.id))]
    if form.validate_on_submit():
        if staff_service.find_staff(form.username.data):
            form.username.errors.append(_("This username is taken."))
        else:
            password = staff_service.generate_password()
            role = db.session.get(Role, form.role_id.data)
            staff = staff_service.create_staff(form.username.data, password, role=role.code,
                                               display_name=form.display_name.data or "")
            staff.is_active = form.is_active.data
            audit.record(actor(), area="settings", action="staff.create", target_type="staff", target_id=staff.id,
                         summary=staff.username, after=_staff_snapshot(staff))
            db.session.commit()
            flash(_("Created %(name)s. Initial password (shown once): %(password)s",
                    name=staff.username, password=password), "success")
            return redirect(url_for("admin.staff_list"))
    return render_template("admin/staff_form.html", form=form, staff=None)


@bp.route("/settings/staff/<int:staff_id>", methods=["GET", "POST"])
@area("settings")
def staff_edit(staff_id: int):
    staff = db.get_or_404(StaffAccount, staff_id)
    form = StaffForm(obj=staff)
    form.role_id.choices = [(role.id, role.name) for role in db.session.scalars(select(Role).order_by(Role.id))]
    del form.username  # a username never changes
    if form.validate_on_submit():
        before = _staff_snapshot(staff)
        if staff.id == current_staff().id and (not form.is_active.data or form.role_id.data != staff.role_id):
            flash(_("You cannot change your own role or disable yourself."), "danger")
            return redirect(url_for("admin.staff_edit", staff_id=staff.id))
        staff.display_name = form.display_name.data or staff.username
        staff_service.change_staff_role(staff, db.session.get(Role, form.role_id.data))
        if staff.is_active != form.is_active.data:
            staff.is_active = form.is_active.data
            staff.auth_version += 1
        changed_before, changed_after = audit.changed_fields(before, _staff_snapshot(staff))
        audit.record(actor(), area="settings", action="staff.update", target_type="staff", target_id=staff.id,
                     summary=staff.username, before=changed_before, after=changed_after)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("admin.staff_list"))
    return render_template("admin/staff_form.html", form=form, staff=staff)


@bp.route("/settings/roles/new", methods=["GET", "POST"])
@bp.route("/settings/roles/<int:role_id>", methods=["GET", "POST"])
@area("settings")
def role_edit(role_id: int | None = None):
    role = db.get_or_404(Role, role_id) if role_id else None
    form = RoleForm(obj=role)
    form.permissions.choices = [(key, str(label)) for key, label in AREAS.items()]
    if form.validate_on_submit():
        try:
            permissions = staff_service.validate_role_permissions(form.permissions.data or [])
        except DomainError as refusal:
            form.permissions.errors.extend(refusal.fields.values())
        else:
            if role is not None and role.code == "owner" and "settings" not in permissions:
                form.permissions.errors.append(_("The owner role must keep the settings area."))
            else:
                before = _role_snapshot(role) if role else None
                if role is None:
                    role = Role(code=f"custom_{staff_service.generate_password()[:8].lower()}", name=form.name.data,
                                permissions=permissions)
                    db.session.add(role)
                else:
                    role.name, role.permissions = form.name.data, permissions
                    for member in db.session.scalars(select(StaffAccount).where(StaffAccount.role_id == role.id)):
                        member.auth_version += 1  # a privilege change ends the members' sessions
                db.session.flush()
                audit.record(actor(), area="settings", action="role.save", target_type="role", target_id=role.id,
                             summary=role.name, before=before, after=_role_snapshot(role))
                if current_staff().role_id == role.id:
                    refresh_privileges(current_staff())
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("admin.staff_list"))
    return render_template("admin/role_form.html", form=form, role=role)
