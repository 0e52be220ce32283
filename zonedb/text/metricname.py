"""The noun phrase that names what a number measures, and matching it to a vocabulary.

Chinese economic prose puts the measured thing between the governing verb and the number
(实现规模以上工业总产值812亿元) or before the verb (固定资产投资完成126.4亿元). The caller
passes the words of the clause before the number with times, zone and firm names already
cut out (as ``|``); ``metric_phrase`` returns the phrase and the cue words it saw (新增,
净增: a change; 占比: a share of the previous figure; 增速: its growth).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Verbs that govern a figure and are never part of its name, longest first.
VERBS = sorted(["实现了", "实现", "完成了", "完成", "达到了", "达到", "达", "累计达", "累计为",
                "累计", "共计", "共有", "合计", "总计", "拥有", "现有", "已有", "有", "为", "是",
                "超过", "约为", "约", "计", "居", "位居", "位列", "排名", "排", "列", "占全市的",
                "占全市", "占全省", "占", "增至", "增长到", "增长至", "增加到", "增加至",
                "提高到", "提高至", "提升到", "提升至", "保持", "突破", "逾", "超", "近"],
               key=len, reverse=True)
# Words before a metric that only say where or how (全区 规模以上工业企业: the zone's).
SCOPES = sorted(["全区", "全市", "全县", "全园", "园区", "区内", "该区", "本区", "我区",
                 "全开发区", "开发区", "经开区", "高新区", "其中", "共", "已培育", "已建成",
                 "另", "并", "且", "和", "及", "还", "又", "累计", "今年", "去年", "主要",
                 "各类", "同时", "此外", "目前", "当前", "现", "均", "分别", "集聚", "聚集",
                 "带动", "新培育", "培育", "累计培育", "成功", "先后", "将", "力争", "计划", "预计",
                 "争取",
                 "平均"], key=len, reverse=True)
CHANGE_CUES = ("净增", "新增", "新认定", "增加", "减少", "提升", "提高")
# Phrases too general to name a metric on their own: they qualify the previous figure.
GENERIC = {"占比", "比重", "增速", "增幅", "增长", "占", "同比", "其中", "", "总量", "规模",
           "首期规模", "总规模", "金额", "总额", "数量", "达", "排名", "位次"}


@dataclass
class Phrase:
    name: str
    cues: list[str] = field(default_factory=list)
    before_verb: str = ""  # an industry or subject before the verb (精工智造产业实现营业收入)


def _strip_scopes(s: str) -> tuple[str, list[str]]:
    cues = []
    changed = True
    while changed:
        changed = False
        for w in ("净增", "新增", "新认定"):
            if s.startswith(w):
                cues.append(w)
                s = s[len(w):]
                changed = True
        for w in SCOPES:
            if s.startswith(w) and len(s) > len(w):
                s = s[len(w):]
                changed = True
                break
        if s.startswith("的"):
            s = s[1:]
            changed = True
    return s, cues


def metric_phrase(before: str) -> Phrase:
    """The metric's name in ``before`` (the clause's words up to the number)."""
    segs = [x.strip("，。；：、,;:“”\"'（）() ") for x in re.split(r"[|、]", before)]
    while len(segs) > 1 and not segs[-1].strip("的由从自较比到至在于"):
        segs.pop()  # 规模以上工业企业由|的: the words before a cut-out year
    s = segs[-1] if segs else ""
    s = s.strip("，。；：、,;:“”\"'（）() ").removesuffix("的")
    cues: list[str] = []
    for w in ("同比增长", "同比下降", "比上年增长", "同比提高", "占比", "比重", "增速", "增幅",
              "增加",
              "减少", "增长", "提升", "提高"):
        if s.endswith(w):
            cues.append("growth" if w.startswith(("同比", "比上年")) or w == "增长" else w)
            s = s[:-len(w)]
            break
    for w in ("净", "新"):
        if s.endswith(w):  # 净增八十七家: the extractor took 增 into the change
            cues.append(w + "增")
            s = s[:-1]
    s = re.sub(r"[由从自较比]$", "", s)
    share = re.search(r"占(全[市省区国县]|[\u4e00-\u9fff]{1,4}?)的?$", s)
    if share:
        cues.append("占" + share.group(1))
        s = s[:share.start()]
    verb_at, verb = -1, ""
    for v in VERBS:
        k = s.rfind(v)
        if len(v) == 1 and k != len(s) - 1:
            continue  # 约, 达, 有 count only right before the number (签约金额 is a name)
        if k > verb_at or (k == verb_at and k != -1 and len(v) > len(verb)):
            verb_at, verb = k, v
    head = ""
    if verb_at != -1:
        after = s[verb_at + len(verb):]
        head = s[:verb_at]
        if after.strip():
            s = after
        else:
            s, head = head, ""
    s = re.sub(r"(?:由|从|自|较|比)$", "", s)
    s, more = _strip_scopes(s)
    cues += more
    s = s.removesuffix("的").removesuffix("达").removesuffix("为")
    head, _ = _strip_scopes(head)
    industry = head if re.search(r"(?:产业|行业|业务)$", head) and len(head) <= 10 else ""
    return Phrase(s, cues, industry)


def canon(label: str) -> str:
    """A label reduced to what names the concept: width folded, quotes and brackets and
    the words 数量/数/同比 dropped; 增速/增长率 read as 增长."""
    s = unicodedata.normalize("NFKC", label)
    s = re.sub(r"[“”\"'‘’「」《》\s]", "", s)
    s = re.sub(r"增速|增长率|增幅", "增长", s)
    s = s.replace("同比", "").replace("数量", "").replace("总量", "")
    s = re.sub(r"(?:人数|个数|家数|户数|总数|数)$", "", s)
    return s.removesuffix("(个)")


def label_keys(label: str, aliases: Iterable[str] = ()) -> set[str]:
    """Every form under which a metric label is matched: the label, its bracketed variants
    (签约(引进)项目数 -> 签约项目, 引进项目, 签约引进项目) and its aliases."""
    out = set()
    for name in [label, *aliases]:
        n = unicodedata.normalize("NFKC", name)
        out.add(canon(n))
        m = re.search(r"\(([^)]*)\)", n)
        if m:
            outside = n[:m.start()] + n[m.end():]
            out.add(canon(outside))
            out.add(canon(n[:m.start()] + m.group(1) + n[m.end():]))
            out.add(canon(n[:max(0, m.start() - 2)] + m.group(1) + n[m.end():]))
    return {k for k in out if k}


def variants(name: str) -> list[str]:
    """The phrase and shorter forms of it to try in turn (国家高新技术企业 -> 高新技术企业)."""
    out = [name]
    for prefix in ("国家级", "国家", "新", "已", "累计"):
        if name.startswith(prefix) and len(name) - len(prefix) >= 2:
            out.append(name[len(prefix):])
    return out
