"""Names of firms and funds as the texts write them (X有限公司, X集团, X基金).

A name runs back from its suffix over Chinese characters (and a bracketed place, 中创新航
科技（江门）有限公司) until a word that cannot be part of it (的, 是, 在, 企业, a verb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zonedb.text.places import CITIES, PROVINCES

FIRM_SUFFIX = ("股份有限公司", "有限责任公司", "有限公司", "集团")
FUND_SUFFIX = ("基金",)
_NAME = re.compile(r"[\u4e00-\u9fff（）()A-Za-z]{2,24}?(?:股份有限公司|有限责任公司|有限公司|集团"
                   r"(?:有限责任公司|股份有限公司|有限公司)?|基金)")
_LEAD = sorted(["的", "是", "在", "与", "及", "、", "对", "从", "把", "被", "将", "让", "等",
                "其中", "园区", "龙头企业", "骨干企业", "企业", "公司", "走进", "位于", "引进",
                "培育", "设立", "联合", "依托", "带动", "推动", "支持", "记者", "介绍", "表示",
                "今年", "去年", "目前", "截至", "其", "该", "上半年", "实现", "完成", "了",
                "经开区", "高新区", "开发区", "工业园", "综保区"], key=len, reverse=True)
_STRIP = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|基金|股份|控股|科技|实业|发展|投资"
                    r"|制造|精密|电器|动力|重工|制药|汽车|新材料|（[^）]*）|\([^)]*\))+$")


@dataclass(frozen=True)
class OrgName:
    start: int
    end: int
    name: str
    kind: str  # firm | fund


def _trim(name: str) -> tuple[int, str]:
    """Cut the words before the name; returns (characters cut, the name)."""
    best = 0
    for w in _LEAD:
        k = name.rfind(w, 0, max(0, len(name) - 2))
        if k != -1 and k + len(w) > best:
            best = k + len(w)
    return best, name[best:]


def find_orgs(text: str) -> list[OrgName]:
    """Firm and fund names in ``text``, left to right, the longest form of each."""
    out: list[OrgName] = []
    for m in _NAME.finditer(text):
        raw = m.group()
        cut, name = _trim(raw)
        core = _STRIP.sub("", name)
        if len(core) < 2:
            continue
        kind = "fund" if name.endswith(FUND_SUFFIX) else "firm"
        out.append(OrgName(m.start() + cut, m.end(), name, kind))
    return out


def short_core(name: str) -> str:
    """The distinctive part of a firm's name, for a slug: place and business words dropped
    (广东美芝精密制造有限公司 -> 美芝)."""
    s = name
    changed = True
    while changed:
        changed = False
        for p in sorted([*PROVINCES, *CITIES], key=len, reverse=True):
            if s.startswith(p) and len(s) > len(p) + 2:
                s = s[len(p):].removeprefix("省").removeprefix("市")
                changed = True
                break
    core = _STRIP.sub("", s)
    return core or s
