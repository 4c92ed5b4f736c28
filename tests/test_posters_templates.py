"""Poster template files: the shipped ones load; a broken file is reported with its name and
the field at fault and never takes the other templates down."""

from __future__ import annotations

import json

import pytest

from app.posters.templates import load_all
from tests.poster_helpers import SHIPPED, template_json, write_template


def test_the_shipped_templates_all_load_with_three_invite_and_two_product_ones():
    found = load_all(SHIPPED)
    assert found.errors == []
    assert len(found.of_kind("invite")) >= 3 and len(found.of_kind("product")) >= 2
    assert {t.spec.code.type for t in found.templates.values()} == {"wxacode", "oa_qr", "url"}


@pytest.mark.parametrize(("spec", "field"), [
    (template_json(width="wide"), "width"),
    (template_json(elements=[{"type": "text", "text": "{nick}", "x": 0, "y": 0, "width": 10, "size": 20}]),
     "elements.0.text.text"),
    (template_json(elements=[{"type": "avatar", "x": 0, "y": 0}]), "elements.0.avatar.size"),
    (template_json(elements=[{"type": "sparkles", "x": 0, "y": 0}]), "elements.0"),
    (template_json(background={"color": "#FFF"}), "background.color"),
    (template_json(code={"type": "url", "x": 0, "y": 0, "size": 300}), "code"),
    (template_json(code={"type": "wxacode", "x": 500, "y": 0, "size": 300}), "code"),
    (template_json(short_id="TOO-LONG"), "short_id"),
])
def test_a_broken_template_names_its_file_and_field_and_the_others_still_load(tmp_path, spec, field):
    write_template(tmp_path, "good", template_json(short_id="g1"))
    write_template(tmp_path, "broken", spec)

    found = load_all(tmp_path)

    assert list(found.templates) == ["good"]
    (error,) = found.errors
    assert error.key == "broken" and error.file.endswith("broken/template.json")
    assert error.field == field, str(error)


def test_invalid_json_and_a_missing_image_are_reported(tmp_path):
    write_template(tmp_path, "not-json", "{ name: 1")
    write_template(tmp_path, "no-image", template_json(short_id="n1", background={"image": "missing.png"}))
    errors = {error.key: error for error in load_all(tmp_path).errors}
    assert errors["not-json"].field == "(file)" and "JSON" in errors["not-json"].message
    assert errors["no-image"].field == "background.image" and "missing.png" in errors["no-image"].message


def test_two_templates_with_one_short_id_keep_the_first(tmp_path):
    write_template(tmp_path, "a-first", template_json(short_id="s1"))
    write_template(tmp_path, "b-second", template_json(short_id="s1"))
    found = load_all(tmp_path)
    assert list(found.templates) == ["a-first"]
    assert [(e.key, e.field) for e in found.errors] == [("b-second", "short_id")]


def test_the_version_changes_with_the_file_and_with_its_images(tmp_path):
    from PIL import Image

    folder = write_template(tmp_path, "pic", template_json(background={"image": "bg.png"}))
    Image.new("RGB", (60, 90), "red").save(folder / "bg.png")
    first = load_all(tmp_path).templates["pic"].version
    Image.new("RGB", (60, 90), "blue").save(folder / "bg.png")
    second = load_all(tmp_path).templates["pic"].version
    (folder / "template.json").write_text(json.dumps(template_json(name="改名", background={"image": "bg.png"})))
    third = load_all(tmp_path).templates["pic"].version
    assert len({first, second, third}) == 3
