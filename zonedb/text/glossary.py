"""A glossary of the standard Chinese statistical indicators, with their English names.

The drafter proposes a new metric under the glossary's slug and English name when the
vocabulary has no metric for a concept the text names. English names follow the National
Bureau of Statistics' yearbooks (China Statistical Yearbook) where they have one, and the
Ministry of Commerce's zone evaluations for the zone-specific terms. One entry a line:
``Chinese name|slug|English name``; several Chinese names may share a slug (synonyms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERMS = """
地区生产总值|gdp|Gross domestic product (GDP)
生产总值|gdp|Gross domestic product (GDP)
GDP|gdp|Gross domestic product (GDP)
经济总量|gdp|Gross domestic product (GDP)
人均地区生产总值|gdp_per_capita|Per capita GDP
第一产业增加值|primary_industry_value_added|Value added of the primary industry
第二产业增加值|secondary_industry_value_added|Value added of the secondary industry
第三产业增加值|tertiary_industry_value_added|Value added of the tertiary industry
工业增加值|industrial_value_added|Industrial value added
规模以上工业增加值|above_scale_industrial_value_added|Value added of industrial enterprises above designated size
规上工业增加值|above_scale_industrial_value_added|Value added of industrial enterprises above designated size
规模工业增加值|above_scale_industrial_value_added|Value added of industrial enterprises above designated size
工业总产值|gross_industrial_output|Gross industrial output value
规模以上工业总产值|above_scale_industrial_output|Gross industrial output value of enterprises above designated size
规上工业总产值|above_scale_industrial_output|Gross industrial output value of enterprises above designated size
规模工业总产值|above_scale_industrial_output|Gross industrial output value of enterprises above designated size
工业产值|industrial_output|Industrial output value
产值|output_value|Output value
总产值|gross_output_value|Gross output value
工业销售产值|industrial_sales_output|Industrial sales output value
产品销售率|product_sales_rate|Sales rate of products
主营业务收入|main_business_revenue|Revenue from principal business
营业收入|operating_revenue|Operating revenue
营收|operating_revenue|Operating revenue
经营收入|operating_revenue|Operating revenue
销售收入|sales_revenue|Sales revenue
技工贸总收入|technology_industry_trade_revenue|Total technology, industry and trade revenue
利润总额|total_profit|Total profits
利润|total_profit|Total profits
净利润|net_profit|Net profit
利税|profits_and_taxes|Profits and taxes
利税总额|profits_and_taxes|Profits and taxes
亩均税收|tax_per_mu|Tax revenue per mu of land
亩均产值|output_per_mu|Output value per mu of land
亩均营业收入|revenue_per_mu|Operating revenue per mu of land
固定资产投资|fixed_asset_investment|Investment in fixed assets
全社会固定资产投资|fixed_asset_investment|Investment in fixed assets
工业投资|industrial_investment|Industrial investment
工业技改投资|technical_renovation_investment|Investment in industrial technical renovation
技改投资|technical_renovation_investment|Investment in industrial technical renovation
制造业投资|manufacturing_investment|Manufacturing investment
基础设施投资|infrastructure_investment|Infrastructure investment
民间投资|private_investment|Private investment
房地产开发投资|real_estate_investment|Investment in real estate development
项目投资|project_investment|Project investment
社会消费品零售总额|retail_sales_consumer_goods|Total retail sales of consumer goods
社零总额|retail_sales_consumer_goods|Total retail sales of consumer goods
进出口总额|total_imports_exports|Total value of imports and exports
外贸进出口总额|total_imports_exports|Total value of imports and exports
进出口额|total_imports_exports|Total value of imports and exports
外贸进出口|total_imports_exports|Total value of imports and exports
出口总额|total_exports|Total value of exports
出口额|total_exports|Total value of exports
进口总额|total_imports|Total value of imports
进口额|total_imports|Total value of imports
跨境电商进出口额|cross_border_ecommerce_trade|Cross-border e-commerce imports and exports
跨境电商交易额|cross_border_ecommerce_trade|Cross-border e-commerce imports and exports
实际使用外资|foreign_capital_actually_used|Foreign capital actually used
实际利用外资|foreign_capital_actually_used|Foreign capital actually used
实际使用外资金额|foreign_capital_actually_used|Foreign capital actually used
外商直接投资|foreign_direct_investment|Foreign direct investment
实际到位内资|domestic_capital_in_place|Domestic capital actually in place
实际到位资金|capital_in_place|Capital actually in place
到位资金|capital_in_place|Capital actually in place
一般公共预算收入|general_public_budget_revenue|General public budget revenue
地方一般公共预算收入|general_public_budget_revenue|General public budget revenue
财政收入|fiscal_revenue|Fiscal revenue
财政总收入|total_fiscal_revenue|Total fiscal revenue
税收收入|tax_revenue|Tax revenue
税收|tax_revenue|Tax revenue
税收收入占比|tax_revenue_share|Share of tax revenue in general public budget revenue
税收占比|tax_revenue_share|Share of tax revenue in general public budget revenue
一般公共预算支出|general_public_budget_expenditure|General public budget expenditure
财政支出|fiscal_expenditure|Fiscal expenditure
居民人均可支配收入|per_capita_disposable_income|Per capita disposable income of residents
城镇居民人均可支配收入|urban_per_capita_disposable_income|Per capita disposable income of urban residents
常住人口|resident_population|Resident population
户籍人口|registered_population|Registered population
从业人员|employees|Employed persons
从业人数|employees|Employed persons
就业人数|employees|Employed persons
城镇新增就业|new_urban_jobs|New urban jobs
新增就业|new_jobs|New jobs
研发投入|rd_expenditure|Expenditure on research and development (R&D)
研发经费|rd_expenditure|Expenditure on research and development (R&D)
研发经费支出|rd_expenditure|Expenditure on research and development (R&D)
研发经费投入|rd_expenditure|Expenditure on research and development (R&D)
研究与试验发展经费|rd_expenditure|Expenditure on research and development (R&D)
研发投入强度|rd_intensity|R&D expenditure as a share of GDP (R&D intensity)
研发经费投入强度|rd_intensity|R&D expenditure as a share of GDP (R&D intensity)
研发经费强度|rd_intensity|R&D expenditure as a share of GDP (R&D intensity)
专利授权量|patents_granted|Patents granted
专利授权|patents_granted|Patents granted
授权专利|patents_granted|Patents granted
发明专利授权量|invention_patents_granted|Invention patents granted
发明专利|invention_patents|Invention patents
有效发明专利|valid_invention_patents|Valid invention patents
有效发明专利拥有量|valid_invention_patents|Valid invention patents
每万人发明专利拥有量|invention_patents_per_10k|Invention patents per 10,000 people
专利申请量|patent_applications|Patent applications
技术合同成交额|technology_contract_turnover|Turnover of technology contracts
技术合同登记额|technology_contract_turnover|Turnover of technology contracts
高新技术企业|high_tech_enterprises|High-tech enterprises
国家高新技术企业|high_tech_enterprises|High-tech enterprises
科技型中小企业|tech_smes|Technology-based small and medium-sized enterprises
专精特新企业|specialised_sme|Specialised and sophisticated SMEs
省级专精特新企业|provincial_specialised_sme|Provincial specialised and sophisticated SMEs
规模以上工业企业|above_scale_industrial_enterprises|Industrial enterprises above designated size
规上工业企业|above_scale_industrial_enterprises|Industrial enterprises above designated size
规上企业|above_scale_industrial_enterprises|Industrial enterprises above designated size
规模工业企业|above_scale_industrial_enterprises|Industrial enterprises above designated size
工业企业|industrial_enterprises|Industrial enterprises
上市企业|listed_companies|Listed companies
上市公司|listed_companies|Listed companies
注册企业|registered_enterprises|Registered enterprises
市场主体|market_entities|Market entities
新增市场主体|new_market_entities|New market entities
外资企业|foreign_funded_enterprises|Foreign-funded enterprises
世界500强企业|fortune_global_500|Fortune Global 500 companies
独角兽企业|unicorn_enterprises|Unicorn enterprises
瞪羚企业|gazelle_enterprises|Gazelle enterprises
研发平台|rd_platforms|R&D platforms
省级以上研发平台|provincial_rd_platforms|R&D platforms at provincial level or above
研发机构|rd_institutions|R&D institutions
孵化器|incubators|Incubators
科技企业孵化器|tech_incubators|Technology business incubators
众创空间|makerspaces|Makerspaces
重点实验室|key_laboratories|Key laboratories
工程技术研究中心|engineering_research_centres|Engineering technology research centres
企业技术中心|enterprise_technology_centres|Enterprise technology centres
签约项目|signed_projects|Signed projects
新签约项目|signed_projects|Signed projects
引进项目|projects_introduced|Projects introduced
新引进项目|projects_introduced|Projects introduced
签约金额|signed_investment|Signed investment
签约投资额|signed_investment|Signed investment
签约资金|signed_investment|Signed investment
协议投资额|contracted_investment|Contracted investment
协议引资|contracted_investment|Contracted investment
计划总投资|planned_total_investment|Planned total investment
总投资|total_investment|Total investment
项目总投资|total_investment|Total investment
投资总额|total_investment|Total investment
新开工项目|projects_started|New projects started
开工项目|projects_started|Projects started
竣工项目|projects_completed|Projects completed
投产项目|projects_in_production|Projects put into production
重点项目|key_projects|Key projects
重大项目|major_projects|Major projects
亿元以上项目|projects_100m_plus|Projects of CNY 100 million or more
十亿元以上项目|projects_1bn_plus|Projects of CNY 1 billion or more
招商引资|investment_attracted|Investment attracted
招商引资到位资金|investment_in_place|Investment attracted and in place
基金规模|fund_size|Fund size
总规模|total_size|Total size
规模|size|Size
管理规模|assets_under_management|Assets under management
已投资项目|fund_projects_invested|Projects invested in
投资项目|projects_invested|Projects invested in
已投资企业|fund_firms_invested|Enterprises invested in
融资额|financing|Financing raised
贷款余额|loan_balance|Outstanding loans
存款余额|deposit_balance|Outstanding deposits
产量|output|Output
整车产量|vehicle_output|Vehicle output
汽车产量|vehicle_output|Vehicle output
新能源汽车产量|nev_output|New energy vehicle output
汽车销量|vehicle_sales|Vehicle sales
销量|sales_volume|Sales volume
发电量|electricity_generation|Electricity generation
用电量|electricity_consumption|Electricity consumption
工业用电量|industrial_electricity_consumption|Industrial electricity consumption
货物吞吐量|cargo_throughput|Cargo throughput
集装箱吞吐量|container_throughput|Container throughput
中欧班列|china_europe_trains|China-Europe freight trains
能耗|energy_consumption|Energy consumption
单位工业增加值能耗|energy_per_industrial_value_added|Energy consumption per unit of industrial value added
单位面积产出|output_per_unit_area|Output per unit of land area
亩均效益|benefit_per_mu|Economic benefit per mu of land
土地面积|land_area|Land area
规划面积|planned_area|Planned area
建成区面积|built_up_area|Built-up area
标准厂房|standard_factory_floor_area|Standard factory floor area
新建标准厂房|standard_factory_floor_area_built|Standard factory floor area built
人才|talent|Talent
各类人才|talent|Talent
人才总量|talent|Talent
高层次人才|high_level_talent|High-level talent
博士|doctorate_holders|Holders of doctorates
院士工作站|academician_workstations|Academician workstations
服务业增加值|services_value_added|Value added of the services sector
高新技术产业增加值|high_tech_industry_value_added|Value added of high-tech industries
战略性新兴产业增加值|strategic_emerging_value_added|Value added of strategic emerging industries
规上工业营业收入|above_scale_industrial_revenue|Operating revenue of industrial enterprises above designated size
规模以上工业营业收入|above_scale_industrial_revenue|Operating revenue of industrial enterprises above designated size
规上工业利润总额|above_scale_industrial_profit|Total profits of industrial enterprises above designated size
规模以上工业利润总额|above_scale_industrial_profit|Total profits of industrial enterprises above designated size
规上服务业营业收入|above_scale_services_revenue|Operating revenue of services enterprises above designated size
限额以上消费品零售额|above_quota_retail_sales|Retail sales of enterprises above designated size
批发零售业销售额|wholesale_retail_sales|Sales of wholesale and retail trade
外贸出口|total_exports|Total value of exports
一般贸易进出口|general_trade|General trade imports and exports
加工贸易进出口|processing_trade|Processing trade imports and exports
服务贸易额|trade_in_services|Trade in services
合同外资|contracted_foreign_investment|Contracted foreign investment
新设外资企业|new_foreign_funded_enterprises|New foreign-funded enterprises
省外资金|out_of_province_capital|Capital from outside the province
到位省外资金|out_of_province_capital_in_place|Capital from outside the province in place
税收总额|total_tax_revenue|Total tax revenue
全口径税收|total_tax_revenue|Total tax revenue
非税收入|non_tax_revenue|Non-tax revenue
政府性基金收入|government_fund_revenue|Government-managed fund revenue
债务余额|debt_balance|Outstanding debt
社会融资规模|aggregate_financing|Aggregate financing
工业用地|industrial_land|Industrial land
供地面积|land_supplied|Land supplied
闲置土地|idle_land|Idle land
盘活低效用地|inefficient_land_revitalised|Inefficient land revitalised
亩均增加值|value_added_per_mu|Value added per mu of land
单位GDP能耗|energy_per_gdp|Energy consumption per unit of GDP
碳排放|carbon_emissions|Carbon emissions
污水处理率|sewage_treatment_rate|Sewage treatment rate
绿化覆盖率|green_coverage_rate|Green coverage rate
研发人员|rd_personnel|R&D personnel
科技人才|science_technology_talent|Science and technology talent
技能人才|skilled_workers|Skilled workers
引进人才|talent_introduced|Talent introduced
高校毕业生|college_graduates|College graduates
新增城镇就业|new_urban_jobs|New urban jobs
就业岗位|jobs|Jobs
专利申请|patent_applications|Patent applications
PCT国际专利申请|pct_applications|PCT international patent applications
商标|trademarks|Trademarks
注册商标|registered_trademarks|Registered trademarks
国家标准|national_standards|National standards
新产品产值|new_product_output|Output value of new products
新产品产值率|new_product_output_rate|New product output rate
技术改造投资|technical_renovation_investment|Investment in industrial technical renovation
数字化改造|digital_transformation_projects|Digital transformation projects
智能工厂|smart_factories|Smart factories
数字化车间|digital_workshops|Digital workshops
工业互联网平台|industrial_internet_platforms|Industrial internet platforms
小巨人企业|little_giant_enterprises|Specialised and sophisticated "little giant" enterprises
单项冠军企业|single_champion_enterprises|Manufacturing single champion enterprises
规上服务业企业|above_scale_services_enterprises|Services enterprises above designated size
限上企业|above_quota_enterprises|Enterprises above designated size (trade)
亿元以上企业|enterprises_100m_plus|Enterprises with revenue of CNY 100 million or more
十亿元以上企业|enterprises_1bn_plus|Enterprises with revenue of CNY 1 billion or more
百亿元以上企业|enterprises_10bn_plus|Enterprises with revenue of CNY 10 billion or more
十亿元以上项目|projects_1bn_plus|Projects of CNY 1 billion or more
五十亿元以上项目|projects_5bn_plus|Projects of CNY 5 billion or more
在建项目|projects_under_construction|Projects under construction
新建项目|new_projects|New projects
续建项目|continuing_projects|Continuing projects
外资到位|foreign_capital_in_place|Foreign capital in place
标准厂房面积|standard_factory_floor_area|Standard factory floor area
建筑面积|floor_area|Floor area
入驻企业|resident_enterprises|Resident enterprises
孵化企业|incubated_enterprises|Incubated enterprises
毕业企业|graduated_enterprises|Enterprises graduated from incubation
上市后备企业|listing_reserve_enterprises|Enterprises preparing to list
新增上市企业|new_listed_companies|Newly listed companies
进出口企业|trading_enterprises|Enterprises with import and export business
跨境电商企业|cross_border_ecommerce_enterprises|Cross-border e-commerce enterprises
注册资本|registered_capital|Registered capital
货物贸易|trade_in_goods|Trade in goods
港口吞吐量|port_throughput|Port throughput
客流量|passenger_flow|Passenger flow
旅游收入|tourism_revenue|Tourism revenue
接待游客|tourist_arrivals|Tourist arrivals
增速|growth_rate|Growth rate
增长率|growth_rate|Growth rate
占比|share|Share
比重|share|Share
排名|rank|Rank
综合排名|overall_rank|Overall rank
"""

INDUSTRIES = """
电子信息|electronic_information|electronic information industry
生物医药|biomedicine|biomedicine industry
医药|pharmaceutical|pharmaceutical industry
汽车|automotive|automotive industry
新能源汽车|nev|new energy vehicle industry
汽车及零部件|auto_parts|automotive and parts industry
装备制造|equipment_manufacturing|equipment manufacturing industry
新材料|new_materials|new materials industry
新能源|new_energy|new energy industry
新能源电池|batteries|new energy battery industry
数字经济|digital_economy|digital economy
软件和信息服务|software|software and information services
集成电路|integrated_circuits|integrated circuit industry
半导体|semiconductors|semiconductor industry
纺织服装|textiles|textile and garment industry
食品|food|food industry
化工|chemicals|chemical industry
石化|petrochemicals|petrochemical industry
钢铁|steel|steel industry
有色金属|nonferrous_metals|nonferrous metals industry
航空航天|aerospace|aerospace industry
智能制造|smart_manufacturing|smart manufacturing industry
高新技术产业|high_tech_industry|high-tech industry
战略性新兴产业|strategic_emerging_industries|strategic emerging industries
先进制造业|advanced_manufacturing|advanced manufacturing
制造业|manufacturing|manufacturing
服务业|services|services
现代服务业|modern_services|modern services
工业|industrial|industrial
跨境电商|cross_border_ecommerce|cross-border e-commerce
保税维修|bonded_repair|bonded repair business
保税物流|bonded_logistics|bonded logistics
"""


@dataclass(frozen=True)
class Term:
    zh: str
    slug: str
    en: str


def _table(text: str) -> dict[str, Term]:
    out = {}
    for line in text.strip().splitlines():
        zh, slug, en = line.split("|")
        out[zh] = Term(zh, slug, en)
    return out


TERMS: dict[str, Term] = _table(_TERMS)
INDUSTRY: dict[str, Term] = _table(INDUSTRIES)


def lookup(name: str) -> Term | None:
    """The glossary term ``name`` is, directly or as an industry's indicator:
    电子信息产业主营业务收入 -> electronic_information_main_business_revenue."""
    name = re.sub(r"[“”\"'‘’「」]", "", name)
    if name in TERMS:
        return TERMS[name]
    for zh in sorted(INDUSTRY, key=len, reverse=True):
        if name.startswith(zh):
            rest = name[len(zh):].removeprefix("产业").removeprefix("业务").removeprefix("行业")
            term = TERMS.get(rest)
            if term is not None:
                ind = INDUSTRY[zh]
                return Term(name, f"{ind.slug}_{term.slug}", f"{term.en}, {ind.en}")
    return None
