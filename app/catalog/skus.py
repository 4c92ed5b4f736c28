"""A product's spec matrix (颜色 × 尺码 …) and its SKUs, one per combination.

The matrix is an ordered list of spec names, each with ordered values; the SKUs are exactly
the cartesian product of the values, each with its own price, stock, weight, code and image.
Saving keeps the SKU ids of combinations that still exist (carts and orders point at them).
Adding a dimension keeps each old SKU as its combination with the new dimension's first
value; removing one keeps the oldest SKU of each remaining combination. A SKU that would
disappear while an order line points at it is never deleted: the save is refused, naming
the combinations, and the merchant sets their stock to 0 instead. A cart line lets go of it
(its SKU becomes null and the cart shows the line as gone).
"""

from __future__ import annotations

import itertools
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog import stock as stock_rules
from app.catalog.models import Product, Sku
from app.core.errors import ValidationError
from app.extensions import db

MAX_SPECS = 3
MAX_VALUES = 30
MAX_SKUS = 600
MAX_FEN = 100_000_000  # ¥1,000,000
MIN_PRICE_FEN = 1
MAX_STOCK = 10_000_000
MAX_WEIGHT_G = 1_000_000
SKU_FIELDS = ("price_fen", "original_price_fen", "cost_fen", "stock", "weight_g", "code", "image_url")
BATCH_FIELDS = {"price_fen": MAX_FEN, "stock": MAX_STOCK, "weight_g": MAX_WEIGHT_G,
                "original_price_fen": MAX_FEN, "cost_fen": MAX_FEN}


def is_image_url(url: str) -> bool:
    """A picture the console and the mini-program can load: our own path or a web address."""
    return url.startswith(("https://", "http://", "/")) and not url.startswith("//")


def normalise_matrix(matrix: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Trimmed names and values, none empty or repeated; a product without specs has one
    implicit combination (an empty matrix)."""
    fields: dict[str, str] = {}
    clean: list[dict[str, Any]] = []
    if len(matrix) > MAX_SPECS:
        fields["spec_matrix"] = _("At most %(n)s spec dimensions.", n=MAX_SPECS)
    names: set[str] = set()
    for index, spec in enumerate(matrix[:MAX_SPECS]):
        name = str(spec.get("name", "")).strip()
        values = [str(value).strip() for value in spec.get("values", [])]
        if not name or len(name) > 16 or name in names:
            fields[f"spec_matrix.{index}.name"] = _("A spec needs a unique name of at most 16 characters.")
        if not values or len(values) > MAX_VALUES or any(not v or len(v) > 32 for v in values) \
                or len(set(values)) != len(values):
            fields[f"spec_matrix.{index}.values"] = _("Between 1 and %(n)s different values of at most 32 "
                                                      "characters.", n=MAX_VALUES)
        names.add(name)
        clean.append({"name": name, "values": values})
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return clean


def combinations(matrix: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every combination, in matrix order: 红/S, 红/M, 蓝/S, 蓝/M."""
    names = [spec["name"] for spec in matrix]
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*(s["values"] for s in matrix))]


def _key(specs: dict[str, str], matrix: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(specs.get(spec["name"], "") for spec in matrix)


def _clean_sku(index: int, values: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name in ("price_fen", "original_price_fen", "cost_fen", "stock", "weight_g"):
        value = values.get(name, 0)
        limit = MAX_STOCK if name == "stock" else MAX_WEIGHT_G if name == "weight_g" else MAX_FEN
        if name == "price_fen":
            if isinstance(value, bool) or not isinstance(value, int) or not MIN_PRICE_FEN <= value <= limit:
                fields[f"skus.{index}.{name}"] = _("A price between ¥0.01 and ¥%(high)s.", high=limit // 100)
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            fields[f"skus.{index}.{name}"] = _("Between %(low)s and %(high)s.", low=0, high=limit)
        clean[name] = value
    for name, limit in (("code", 64), ("image_url", 512)):
        text = str(values.get(name) or "").strip()
        if len(text) > limit:
            fields[f"skus.{index}.{name}"] = _("At most %(n)s characters.", n=limit)
        elif name == "image_url" and text and not is_image_url(text):
            fields[f"skus.{index}.{name}"] = _("An image address starts with https://, http:// or /.")
        clean[name] = text
    return clean


def check_matrix(matrix: list[dict[str, Any]], skus: list[dict[str, Any]]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[tuple[str, ...], dict[str, Any]]]:
    """Validate a matrix and its SKU rows without writing anything: (clean matrix, the
    combinations, clean values per combination). `skus` gives, for every combination, a dict
    with `specs` and the SKU_FIELDS; errors name the row (`skus.3.price_fen`)."""
    matrix = normalise_matrix(matrix)
    wanted = combinations(matrix) if matrix else [{}]
    if len(wanted) > MAX_SKUS:
        raise ValidationError(_("Too many combinations (at most %(n)s).", n=MAX_SKUS),
                              fields={"spec_matrix": _("Too many combinations (at most %(n)s).", n=MAX_SKUS)})
    fields: dict[str, str] = {}
    given: dict[tuple[str, ...], dict[str, Any]] = {}
    wanted_keys = {_key(c, matrix) for c in wanted}
    for index, values in enumerate(skus):
        specs = values.get("specs") or {}
        key = _key(specs, matrix)
        if specs != dict(zip([s["name"] for s in matrix], key, strict=True)) or key not in wanted_keys \
                or key in given:
            fields[f"skus.{index}.specs"] = _("Not one of the spec combinations.")
            continue
        given[key] = _clean_sku(index, values, fields)
    missing = [c for c in wanted if _key(c, matrix) not in given]
    if missing:
        fields["skus"] = _("Every combination needs its price and stock (%(n)s missing).", n=len(missing))
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return matrix, wanted, given


def save_matrix(actor: Actor, product: Product, matrix: list[dict[str, Any]],
                skus: list[dict[str, Any]]) -> list[Sku]:
    """Replace the spec matrix and its SKUs (see check_matrix for the shape). A combination
    that stays keeps its SKU id; one that disappears loses its SKU, unless an order points at
    it, which refuses the save (cart lines stay, flagged as gone)."""
    matrix, wanted, given = check_matrix(matrix, skus)
    before = _summary(product)
    existing = _match_existing(product.skus, product.spec_matrix or [], matrix, wanted)
    gone = [sku for sku in product.skus if sku not in existing.values()]
    in_use = referenced_sku_ids([sku.id for sku in gone])
    if in_use:
        names = "、".join(_label(sku.specs) for sku in gone if sku.id in in_use)
        message = _("These combinations are in orders and cannot be removed: %(names)s. "
                    "Keep them and set their stock to 0 instead.", names=names)
        raise ValidationError(message, fields={"spec_matrix": message})
    kept: list[Sku] = []
    for combination in wanted:
        key = _key(combination, matrix)
        sku = existing.get(key)
        if sku is None:
            sku = Sku(product_id=product.id, specs=combination, **given[key])
            db.session.add(sku)
        else:
            for name, value in given[key].items():
                setattr(sku, name, value)
            sku.specs = combination
        kept.append(sku)
    _detach([sku.id for sku in gone])
    for sku in gone:
        db.session.delete(sku)
    product.spec_matrix = matrix
    db.session.flush()
    db.session.refresh(product, ["skus"])
    audit.record(actor, area="products", action="product.skus", target_type="product", target_id=product.id,
                 summary=product.title, before=before, after=_summary(product))
    stock_rules.stock_changed([product.id])
    return kept


def _match_existing(current: list[Sku], old_matrix: list[dict[str, Any]], matrix: list[dict[str, Any]],
                    wanted: list[dict[str, str]]) -> dict[tuple[str, ...], Sku]:
    """Which existing SKU becomes which new combination: exact matches first; then a SKU
    lacking a new dimension takes that dimension's first value, and a SKU with a dimension
    that is gone drops it (the oldest SKU wins a combination)."""
    wanted_keys = {_key(c, matrix) for c in wanted}
    taken: dict[tuple[str, ...], Sku] = {}
    rest: list[Sku] = []
    for sku in sorted(current, key=lambda row: row.id or 0):
        key = _key(sku.specs, matrix)
        if key in wanted_keys and key not in taken and set(sku.specs) == {s["name"] for s in matrix}:
            taken[key] = sku
        else:
            rest.append(sku)
    old_names = {spec["name"] for spec in old_matrix} | {name for sku in current for name in sku.specs}
    for sku in rest:
        key = tuple(sku.specs.get(spec["name"], spec["values"][0]) if spec["name"] in sku.specs
                    or spec["name"] not in old_names else "\0" for spec in matrix)
        if key in wanted_keys and key not in taken:
            taken[key] = sku
    return taken


def _sku_foreign_keys():
    """Every (column, ondelete) pointing at skus.id, from the schema's foreign keys, so the
    catalogue needs no import of the domains above it."""
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == Sku.__tablename__ and key.column.name == "id" \
                    and table.name != Sku.__tablename__:
                yield key.parent, (key.ondelete or "").upper()


def referenced_sku_ids(sku_ids: list[int]) -> set[int]:
    """Those of `sku_ids` that a row must keep pointing at (order lines, …). References that
    let go (ON DELETE SET NULL, like a cart line, which then shows the SKU as gone) don't count."""
    if not sku_ids:
        return set()
    found: set[int] = set()
    for column, ondelete in _sku_foreign_keys():
        if ondelete != "SET NULL":
            found.update(db.session.scalars(select(column).where(column.in_(sku_ids)).distinct()))
    return found


def _detach(sku_ids: list[int]) -> None:
    """Null the references that let go of removed SKUs, explicitly: SQLite does not enforce
    foreign keys here, and the result must be the same on every backend."""
    if not sku_ids:
        return
    for column, ondelete in _sku_foreign_keys():
        if ondelete == "SET NULL":
            db.session.execute(update(column.table).where(column.in_(sku_ids)).values({column.name: None}))


def _label(specs: dict[str, str]) -> str:
    return "/".join(specs.values()) or _("Default")


def batch_set(actor: Actor, product: Product, field: str, value: int, sku_ids: list[int] | None = None) -> int:
    """Set one field (price, stock, weight…) on many SKUs at once: all, or those in `sku_ids`."""
    if field not in BATCH_FIELDS:
        raise ValidationError(_("Not one of the allowed values."),
                              fields={"field": _("Not one of the allowed values.")})
    limit = BATCH_FIELDS[field]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ValidationError(_("Some fields are invalid."),
                              fields={"value": _("Between %(low)s and %(high)s.", low=0, high=limit)})
    targets = [sku for sku in product.skus if sku_ids is None or sku.id in set(sku_ids)]
    if sku_ids is not None and len(targets) != len(set(sku_ids)):
        raise ValidationError(_("Some fields are invalid."), fields={"sku_ids": _("Not one of this product's SKUs.")})
    before = {str(sku.id): getattr(sku, field) for sku in targets}
    for sku in targets:
        setattr(sku, field, value)
    db.session.flush()
    audit.record(actor, area="products", action=f"product.batch_{field}", target_type="product",
                 target_id=product.id, summary=product.title, before=before,
                 after={str(sku.id): value for sku in targets})
    if field == "stock":
        stock_rules.stock_changed([product.id])
    return len(targets)


def _summary(product: Product) -> dict[str, Any]:
    return {"spec_matrix": product.spec_matrix,
            "skus": {"/".join(sku.specs.values()) or "-": [getattr(sku, name) for name in SKU_FIELDS[:5]]
                     for sku in product.skus}}
