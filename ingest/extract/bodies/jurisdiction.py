"""The plan's jurisdiction: its region and what its level prefixes (市, 区, 县) stand for."""

from __future__ import annotations

from ingest.extract.bodies.lexicon import (
    _LEVEL_OF,
)
from ingest.model import Region
from ingest.regions import Gazetteer


class Jurisdiction:
    """The plan's region and the names its level prefixes (市, 区, 县) stand for."""

    def __init__(self, region: Region | None, gazetteer: Gazetteer, year: int | None = None):
        self.region = region
        self.gazetteer = gazetteer
        self.year = year  # the plan's year: picks historical department names
        self.by_level: dict[str, Region] = {}
        if region is not None and region.anonymised:
            self.by_level[region.level] = region
        elif region is not None and region.level != "country":
            for r in gazetteer.chain(region.code):
                self.by_level.setdefault(r.level, r)
            if region.level == "county" and region.name.endswith("市"):
                self.by_level["county-city"] = region

    @property
    def usable(self) -> bool:
        return self.region is not None and self.region.level != "country"

    def prefix(self, region: Region) -> str:
        """温州市瓯海区 for 瓯海区, 承德市 for 承德市, 河北省 for 河北省, 滕州市 for the county-level
        city 滕州市 (no province below it: 温州市瓯海区教育局, 承德市教育局)."""
        if region.anonymised or (region.level == "county" and region.name.endswith("市")):
            return region.name
        chain = self.gazetteer.chain(region.code)
        names = [r.name for r in reversed(chain) if r.level != "province" or region.level == "province"]
        return "".join(names) or region.name

    def region_is_country(self) -> bool:
        return self.region is not None and self.region.level == "country"

    def plan_prefix(self) -> str:
        return self.prefix(self.region) if self.usable else ""

    def expand_level(self, char: str) -> Region | None:
        if char == "市" and "county-city" in self.by_level:
            return self.by_level["county-city"]
        province = self.by_level.get("province")
        if char == "市" and province is not None and province.name.endswith("市"):
            return province  # 北京市, 上海市: 市 is the municipality itself
        level = _LEVEL_OF.get(char)
        return self.by_level.get(level) if level else None

    def is_district(self) -> bool:
        r = self.region
        return r is not None and not r.anonymised and r.level == "county" and r.name.endswith("区")

