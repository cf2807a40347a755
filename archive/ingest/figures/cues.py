"""Cue-word tables: which policy dimension a figure measures, and its qualifiers.

Written in Simplified and matched on folded text (``fold.fold``), so every entry
also matches its Traditional form (購房, 補貼, 啟動資金). Entries are generic
policy vocabulary; the seed cited in a comment is where the usage was first seen,
never a string the rule depends on. A regex entry is marked ``re:``.

A cue applies only to figures whose unit the dimension can measure
(``DIMENSION_UNITS``): a person count is never housing, yuan is never
talents_introduced. ``BLOCKERS`` are cues for amounts that are NOT talent policy
(sales, taxes, loans, R&D spend); the nearest cue wins, so a blocker next to a
figure stops a talent cue further away from claiming it.
"""

from __future__ import annotations

from dataclasses import dataclass

DIMENSION_UNITS: dict[str, frozenset[str]] = {
    "housing": frozenset({"unit", "m2"}),
    "purchase_subsidy": frozenset({"yuan", "age", "month"}),
    "rent_subsidy": frozenset({"yuan", "age", "month"}),
    "living_subsidy": frozenset({"yuan", "age", "month"}),
    "talent_budget": frozenset({"yuan"}),
    "talents_introduced": frozenset({"person"}),
    "graduates_retained": frozenset({"person"}),
    "academicians": frozenset({"person", "item"}),
    "postdoc_stations": frozenset({"item", "person"}),
    "skills_training": frozenset({"person", "person_time"}),
    "startup_funding": frozenset({"yuan", "age", "month"}),
    # ages and months of service are eligibility conditions (kinds.py); most
    # are for 落户/引进 (北京引进毕业生管理办法), the default when no cue says else
    "settlement": frozenset({"person", "yuan", "age", "month"}),
    "family_services": frozenset({"person", "item", "yuan"}),
}


@dataclass(frozen=True)
class CueRule:
    """One cue: a word (or ``re:`` pattern) and the dimension it signals.

    ``units`` narrows the dimension's units for this cue; ``context`` is a pattern
    that must also occur in the figure's clause; ``governs`` marks verbs (引进, 引才)
    that govern a whole 、-list of figures, so the first figure of the list does not
    use them up (see ``dimensions``).
    """

    pattern: str
    dimension: str | None
    units: frozenset[str] | None = None
    context: str | None = None
    governs: bool = False


#: Graduates count as retained/attracted only in a context of staying, working or
#: arriving: "4000多名大学生 云 上游运" (001, online tourism) and "为5000多名大中专
#: 毕业生…办理了职称评审" (000) are not retention figures.
_GRADUATE_CONTEXT = r"留|就业|创业|引进|招引|回|返|落户|充实|入职"
_PERSON_TIME = frozenset({"person_time"})
_PERSON = frozenset({"person"})


def _rules(dimension: str, *words: str, **options) -> tuple[CueRule, ...]:
    return tuple(CueRule(w, dimension, **options) for w in words)


DIMENSION_CUES: tuple[CueRule, ...] = (
    # housing — 人才公寓…4.48万平方米 (000), 人才公寓6000余套、青年人才驿站300套 (004),
    # 房源15472套 (002)
    *_rules("housing", "人才公寓", "人才住房", "人才驿站", "驿站", "保障房", "保障住房"),
    *_rules("housing", "保障性住房", "房源", "拎包入住", "公寓", "住房", "安居"),
    # purchase_subsidy — 购买首套新建商品住房…最高给予25万元 (004), 安家补贴280万元
    # (000), 购房基金注入3000万元 / 向该基金借款30万元 (001)
    *_rules("purchase_subsidy", "购房", "安家", "购买首套", "首套住房", "商品住房"),
    *_rules("purchase_subsidy", "购房基金"),
    # rent_subsidy — 租房费用 (002), 人才租购房补贴 (002)
    *_rules("rent_subsidy", "租房", "租赁补贴", "房租", "租金"),
    # living_subsidy — 每月不低于500元的生活补贴 (003)
    *_rules("living_subsidy", "生活补贴", "生活津贴", "生活补助"),
    # talent_budget — 人才工作专项经费…1.5786亿元 (000), 预算安排人才工作经费1亿元
    # (002), 每年预算2000万元人才创新专项资金 (000)
    # Reward payouts (人才奖励资金427万元, 000) are spending, not the budget line.
    CueRule("re:人才[^，,。；;：:、]{0,6}(?:经费|专项资金|发展资金|发展基金)", "talent_budget"),
    *_rules("talent_budget", "专项经费", "预算"),
    # talents_introduced — 引进…人才2559人, 柔性引进…375人 (000), 引进聚集…5名 (004)
    *_rules("talents_introduced", "引进", "引才", "招引", "集聚", "聚集", governs=True),
    # graduates_retained — 11.04万大学生留呼就业 (002), 新引进高校毕业生23127人 (003)
    *_rules(
        "graduates_retained",
        "高校毕业生",
        "大学毕业生",
        "毕业生",
        "大学生",
        context=_GRADUATE_CONTEXT,
    ),
    CueRule("re:留[^，,。；;：:]{0,2}(?:就业|创业|工作)", "graduates_retained"),
    # academicians — 院士专家工作站21个, 引进院士21名 (000), 院士30名 (002)
    # A bare 院士 counts people; "陈润生院士牵头的…等12项…项目" (002) are projects.
    *_rules("academicians", "院士", units=_PERSON),
    *_rules("academicians", "院士工作站", "院士专家工作站"),
    # "柔性引进院士专家34人" (003) mixes academicians with other experts: as a person
    # count the longer cue makes it talents_introduced; workstations stay academicians.
    *_rules("talents_introduced", "院士专家"),
    # postdoc_stations — 博士后科研工作站17家、博士后创新实践基地41家 (003)
    *_rules("postdoc_stations", "博士后", "博士后科研工作站", "博士后工作站"),
    # skills_training — 技能培训…14.6万人次 (000), 职业技能培训1.76万人次 (002).
    # Bare 培训 only for person-times: "选派400名校长进行…培训" (000) trains
    # head teachers, not skilled workers. 技能人才 alone is a stock count, not training.
    *_rules("skills_training", "技能培训", "职业技能"),
    *_rules("skills_training", "培训", units=_PERSON_TIME),
    # startup_funding — 50万元至100万元的启动资金补助 (004), 创业者…15万元奖补 (004)
    *_rules("startup_funding", "创业", "启动资金", "创业扶持", "创业担保贷款"),
    # settlement — 放宽…落户限制 (000), 人才落户 (003); persons settled, or a
    # one-off 落户补贴 in yuan
    *_rules("settlement", "落户"),
    # family_services — 子女入学 / 配偶就业安置 (000), 子女教育 / 配偶安置 (003)
    *_rules("family_services", "子女入学", "子女就学", "子女教育", "配偶就业", "配偶安置"),
    *_rules("family_services", "医疗保障"),
)

#: Amounts that are not talent policy: economic results, loans and investment.
#: 带动研发投入21.8亿元, 实现销售额69.7亿元, 累计投放贷款43.94亿元 (000),
#: 新增产值近5亿元, 利税超8000万元 (004), 达成引才意向5931人 (003).
BLOCKERS: tuple[str, ...] = (
    "销售额",
    "销售收入",
    "营业收入",
    "营业总收入",
    "营收",
    "产值",
    "利税",
    "税收",
    "研发投入",
    "科研投入",
    "企业投入",
    "科研经费",
    "项目经费",
    "贷款",
    "授信",
    "融资",
    "投资",
    "意向",
    "洽谈",
    # employment subsidies paid to firms (给予3000元/人的就业补助, 004) are labour
    # policy, not one of the talent dimensions
    "就业补助",
    "就业补贴",
    "社保补贴",
)

#: Qualifiers searched in the figure's clause before the number.
CLAUSE_QUALIFIERS: tuple[str, ...] = (
    "最高",
    "最多",
    "最低",
    "不低于",
    "不少于",
    "不超过",
    "高达",
    "累计",
    "共计",
    "总计",
    "每年",
    "每月",
    "每人",
    "每户",
    "人均",
    "年均",
    "预计",
    "力争",
)

#: Qualifiers that count only right before the number: 近2000名, 超8000万元.
ADJACENT_QUALIFIERS: tuple[str, ...] = ("超过", "近", "超", "逾", "约")

#: 近三年 / 近两年来: a period qualifier, also taken from a short lead clause of
#: the sentence ("近三年,全市共引进…2559人", seed 000).
PERIOD_QUALIFIER_RE = r"近[一二两三四五六七八九十\d]{1,2}年"
