"""The demo company's people and customers.

Users and accounts are fixed (only deals, visits and dates vary with the seed), so the console demo
always has the same cast. Some records are deliberately imperfect for the data-health report:
three near-duplicate accounts (38 of 1 with the same phone, 39 of 3, 40 of 29 with the same phone
and email), accounts without industry, region or owner, and contacts without phone, email or title.
Contact phones are derived from the name when `phone` is not given; `phone: None` means unknown.
"""
from __future__ import annotations

from typing import Any

ZH_MANAGER, EN_MANAGER, ADMIN = 3, 5, 8

USERS: list[dict[str, Any]] = [
    {"id": 1, "name": "王磊", "aliases": ["小王", "王磊"], "role": "rep", "manager_id": 3, "lang": "zh",
     "timezone": "Asia/Shanghai"},
    {"id": 2, "name": "李娜", "aliases": ["娜娜", "李娜"], "role": "rep", "manager_id": 3, "lang": "zh",
     "timezone": "Asia/Shanghai"},
    {"id": 3, "name": "张伟", "aliases": ["张总", "老张"], "role": "manager", "manager_id": None,
     "lang": "zh", "timezone": "Asia/Shanghai"},
    {"id": 4, "name": "Alice Chen", "aliases": ["Alice"], "role": "rep", "manager_id": 5, "lang": "en",
     "timezone": "Asia/Singapore"},
    {"id": 5, "name": "Bob Smith", "aliases": ["Bob"], "role": "manager", "manager_id": None,
     "lang": "en", "timezone": "America/Los_Angeles"},
    {"id": 6, "name": "刘洋", "aliases": ["老刘", "刘洋"], "role": "rep", "manager_id": 3, "lang": "zh",
     "timezone": "Asia/Shanghai"},
    {"id": 7, "name": "Daniel Brooks", "aliases": ["Dan", "Daniel"], "role": "rep", "manager_id": 5,
     "lang": "en", "timezone": "America/New_York"},
    {"id": 8, "name": "周敏", "aliases": ["周敏", "Zhou Min"], "role": "admin", "manager_id": None,
     "lang": "zh", "timezone": "Asia/Shanghai"},
]


def _c(name: str, title: str | None, email: str | None, *aliases: str, phone: str | None = "") -> dict:
    return {"name": name, "aliases": list(aliases), "title": title, "email": email, "phone": phone}


# `lang` decides the language of the notes; `currency` the deals' currency.
ACCOUNTS: list[dict[str, Any]] = [
    {"id": 1, "name": "蓝鲸数据", "aliases": ["蓝鲸", "Bluewhale Data", "Bluewhale"], "industry": "软件",
     "region": "上海", "owner_id": 1, "lang": "zh", "currency": "CNY", "phone": "021-61328800",
     "email": "contact@bluewhale-data.cn", "contacts": [
         _c("李明", "CTO", "liming@bluewhale-data.cn", "李总", "Li Ming"),
         _c("陈静", "采购经理", "chenjing@bluewhale-data.cn", "陈经理"),
         _c("杜鹏", "数据部总监", None, "杜总", phone=None)]},
    {"id": 2, "name": "蓝海数据", "aliases": ["蓝海"], "industry": "软件", "region": "杭州", "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": "0571-87062211", "email": None, "contacts": [
         _c("黄磊", "总经理", "huanglei@lanhai-data.com", "黄总")]},
    {"id": 3, "name": "青松制药", "aliases": ["青松"], "industry": "医药", "region": "苏州", "owner_id": 1,
     "lang": "zh", "currency": "CNY", "phone": "0512-65810032", "email": "it@qingsong-pharma.com",
     "contacts": [
         _c("赵强", "信息中心主任", "zhaoqiang@qingsong-pharma.com", "赵主任"),
         _c("孙悦", "IT工程师", "sunyue@qingsong-pharma.com", "孙工"),
         _c("钱芳", "采购部经理", None, "钱经理")]},
    {"id": 4, "name": "金桥物流", "aliases": ["金桥"], "industry": "物流", "region": "宁波", "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": "0574-83015566", "email": None, "contacts": [
         _c("周海", "CEO", "zhouhai@jinqiao56.com", "周总"),
         _c("吕建华", "运营总监", "lvjianhua@jinqiao56.com", "吕总")]},
    {"id": 5, "name": "明远教育科技有限公司", "aliases": ["明远教育", "明远"], "industry": "教育",
     "region": "北京", "owner_id": 6, "lang": "zh", "currency": "CNY", "phone": "010-82157730",
     "email": "bd@mingyuan-edu.cn", "contacts": [
         _c("吴芳", "教务长", "wufang@mingyuan-edu.cn", "吴老师"),
         _c("高翔", "信息化负责人", None, "高工")]},
    {"id": 6, "name": "天衡能源", "aliases": ["天衡"], "industry": "能源", "region": "西安", "owner_id": 1,
     "lang": "zh", "currency": "CNY", "phone": "029-88327410", "email": None, "contacts": [
         _c("郑凯", "副总裁", "zhengkai@tianheng-energy.com", "郑总"),
         _c("韩梅", "安全环保部部长", "hanmei@tianheng-energy.com", "韩部长")]},
    {"id": 7, "name": "瑞丰食品", "aliases": ["瑞丰"], "industry": "快消", "region": "广州", "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": "020-38471205", "email": "service@ruifengfood.cn",
     "contacts": [
         _c("冯雪", "渠道经理", "fengxue@ruifengfood.cn", "冯经理"),
         _c("罗志刚", "销售副总", "luozhigang@ruifengfood.cn", "罗总")]},
    {"id": 8, "name": "海纳零售", "aliases": ["海纳"], "industry": "零售", "region": "深圳", "owner_id": 6,
     "lang": "zh", "currency": "CNY", "phone": "0755-86093318", "email": None, "contacts": [
         _c("何伟", "COO", "hewei@haina-retail.com", "何总"),
         _c("谢婷", "门店运营经理", None, "谢经理")]},
    {"id": 9, "name": "北辰汽车零部件有限公司", "aliases": ["北辰汽车", "北辰"], "industry": "制造",
     "region": "武汉", "owner_id": 1, "lang": "zh", "currency": "CNY", "phone": "027-84296651",
     "email": "purchase@beichen-auto.com", "contacts": [
         _c("许涛", "工程总监", "xutao@beichen-auto.com", "许工"),
         _c("邓丽", "采购总监", "dengli@beichen-auto.com", "邓总"),
         _c("曹勇", "IT经理", "caoyong@beichen-auto.com", "曹经理")]},
    {"id": 10, "name": "云帆软件", "aliases": ["云帆"], "industry": "软件", "region": "成都", "owner_id": 6,
     "lang": "zh", "currency": "CNY", "phone": "028-85213370", "email": None, "contacts": [
         _c("林峰", "CEO", "linfeng@yunfan-soft.com", "林总")]},
    {"id": 11, "name": "华康医疗集团", "aliases": ["华康医疗", "华康"], "industry": "医疗",
     "region": "南京", "owner_id": 2, "lang": "zh", "currency": "CNY", "phone": "025-84562290",
     "email": "xxk@huakang-med.cn", "contacts": [
         _c("马骏", "院长", None, "马院长"),
         _c("宋佳", "信息科科长", "songjia@huakang-med.cn", "宋科长")]},
    {"id": 12, "name": "东方精工", "aliases": ["东方精工"], "industry": "制造", "region": "佛山",
     "owner_id": 1, "lang": "zh", "currency": "CNY", "phone": "0757-22813406", "email": None,
     "contacts": [
         _c("梁永强", "总经理", "liangyq@dfjg.com.cn", "梁总"),
         _c("潘晓燕", "IT主管", "panxy@dfjg.com.cn", "潘工")]},
    {"id": 13, "name": "长风证券", "aliases": ["长风"], "industry": "金融", "region": "上海", "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": "021-68827015", "email": "it@changfeng-sec.com",
     "contacts": [
         _c("彭志远", "财富管理部总经理", "pengzy@changfeng-sec.com", "彭总"),
         _c("蒋雯", "合规总监", "jiangwen@changfeng-sec.com", "蒋总监")]},
    {"id": 14, "name": "中科智造", "aliases": ["中科"], "industry": "制造", "region": "合肥", "owner_id": 6,
     "lang": "zh", "currency": "CNY", "phone": "0551-65321187", "email": None, "contacts": [
         _c("汪洋", "CIO", "wangyang@zkzz-tech.com", "汪总"),
         _c("田甜", "项目经理", None, phone=None)]},
    {"id": 15, "name": "鼎盛地产", "aliases": ["鼎盛"], "industry": "地产", "region": "重庆", "owner_id": 1,
     "lang": "zh", "currency": "CNY", "phone": "023-63105528", "email": None, "contacts": [
         _c("袁斌", "营销总监", "yuanbin@dingsheng-re.com", "袁总")]},
    {"id": 16, "name": "安信保险", "aliases": ["安信"], "industry": "金融", "region": "深圳", "owner_id": 6,
     "lang": "zh", "currency": "CNY", "phone": "0755-82109931", "email": "kefu@anxin-ins.cn",
     "contacts": [
         _c("邹涛", "渠道部总经理", "zoutao@anxin-ins.cn", "邹总"),
         _c("唐敏", "信息安全经理", "tangmin@anxin-ins.cn", "唐经理")]},
    {"id": 17, "name": "星河传媒", "aliases": ["星河"], "industry": None, "region": "北京", "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": None, "email": None, "contacts": [
         _c("韦晨", None, None, phone=None)]},
    {"id": 18, "name": "万象连锁超市", "aliases": ["万象超市", "万象"], "industry": "零售", "region": "长沙",
     "owner_id": 1, "lang": "zh", "currency": "CNY", "phone": "0731-84470263", "email": None,
     "contacts": [
         _c("陆浩", "副总经理", "luhao@wanxiang-mart.com", "陆总"),
         _c("秦露", "采购经理", "qinlu@wanxiang-mart.com", "秦经理")]},
    {"id": 19, "name": "华夏航空服务", "aliases": ["华夏航空"], "industry": "航空", "region": "天津",
     "owner_id": 6, "lang": "zh", "currency": "CNY", "phone": "022-58602117", "email": None,
     "contacts": [
         _c("江涛", "客服中心总监", "jiangtao@huaxia-air.com", "江总")]},
    {"id": 20, "name": "恒通电子", "aliases": ["恒通"], "industry": "电子", "region": None, "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": "0769-22638890", "email": None, "contacts": [
         _c("范磊", "厂长", "fanlei@hengtong-ele.com", "范厂长"),
         _c("石慧", "计划经理", None, "石经理")]},
    {"id": 21, "name": "绿源农业", "aliases": ["绿源"], "industry": "农业", "region": "昆明", "owner_id": 1,
     "lang": "zh", "currency": "CNY", "phone": "0871-63159902", "email": None, "contacts": [
         _c("杨帆", "董事长", "yangfan@lvyuan-agri.com", "杨董"),
         _c("毛丽", "财务经理", None, "毛经理")]},
    {"id": 22, "name": "同舟医院管理", "aliases": ["同舟"], "industry": "医疗", "region": "厦门",
     "owner_id": 6, "lang": "zh", "currency": "CNY", "phone": "0592-53378810", "email": None,
     "contacts": [
         _c("邱明", "运营副院长", "qiuming@tongzhou-hm.com", "邱院长")]},
    {"id": 23, "name": "九州通信", "aliases": ["九州"], "industry": "通信", "region": "济南", "owner_id": 2,
     "lang": "zh", "currency": "CNY", "phone": "0531-88125570", "email": "bd@jiuzhou-tel.com",
     "contacts": [
         _c("孔亮", "政企事业部总经理", "kongliang@jiuzhou-tel.com", "孔总"),
         _c("魏娟", "IT架构师", "weijuan@jiuzhou-tel.com", "魏工")]},
    {"id": 24, "name": "嘉禾化工", "aliases": ["嘉禾"], "industry": "化工", "region": "南通", "owner_id": None,
     "lang": "zh", "currency": "CNY", "phone": "0513-85561204", "email": None, "contacts": [
         _c("方建国", "生产副总", None, "方总")]},
    {"id": 25, "name": "Acme Corporation", "aliases": ["Acme", "Acme Corp"], "industry": "Manufacturing",
     "region": "US-West", "owner_id": 4, "lang": "en", "currency": "USD", "phone": "+1 415 555 0100",
     "email": "info@acme-corp.com", "contacts": [
         _c("John Carter", "CTO", "john.carter@acme-corp.com", "John"),
         _c("Mary Lee", "Procurement Lead", "mary.lee@acme-corp.com", "Mary"),
         _c("Raj Patel", "Director of Plant IT", "raj.patel@acme-corp.com", "Raj")]},
    {"id": 26, "name": "Globex Industries", "aliases": ["Globex"], "industry": "Energy", "region": "US-East",
     "owner_id": 4, "lang": "en", "currency": "USD", "phone": "+1 212 555 0144", "email": None,
     "contacts": [
         _c("Hank Scorpio", "CEO", "hank@globex.com", "Hank"),
         _c("Linda Park", "VP Operations", "linda.park@globex.com", "Linda")]},
    {"id": 27, "name": "Initech", "aliases": ["Initech Inc"], "industry": "Software", "region": "US-South",
     "owner_id": 7, "lang": "en", "currency": "USD", "phone": "+1 512 555 0187", "email": "sales@initech.io",
     "contacts": [
         _c("Bill Lumbergh", "VP Engineering", "bill@initech.io", "Bill"),
         _c("Peter Gibbons", "Engineer", "peter@initech.io", "Peter", phone=None)]},
    {"id": 28, "name": "Umbrella Health", "aliases": ["Umbrella"], "industry": "Healthcare", "region": "EU",
     "owner_id": 4, "lang": "en", "currency": "EUR", "phone": "+49 30 5550 1290",
     "email": "it@umbrella-health.eu", "contacts": [
         _c("Alice Marcus", "CIO", "a.marcus@umbrella-health.eu", "Dr. Marcus"),
         _c("Jonas Weber", "Information Security Officer", "j.weber@umbrella-health.eu", "Jonas")]},
    {"id": 29, "name": "Northwind Traders", "aliases": ["Northwind"], "industry": "Distribution",
     "region": "US-East", "owner_id": 7, "lang": "en", "currency": "USD", "phone": "+1 617 555 0123",
     "email": "purchasing@northwind.example", "contacts": [
         _c("Nancy Davolio", "Sales Director", "nancy@northwind.example", "Nancy"),
         _c("Andrew Fuller", "VP Sales", "andrew@northwind.example", "Andrew")]},
    {"id": 30, "name": "Contoso Ltd", "aliases": ["Contoso"], "industry": "Retail", "region": "UK",
     "owner_id": 7, "lang": "en", "currency": "USD", "phone": "+44 20 7946 0321", "email": None,
     "contacts": [
         _c("Emma Clarke", "Head of Store Operations", "emma.clarke@contoso.co.uk", "Emma"),
         _c("Oliver Grant", "Finance Director", "oliver.grant@contoso.co.uk", "Oliver")]},
    {"id": 31, "name": "Fabrikam Manufacturing", "aliases": ["Fabrikam"], "industry": "Manufacturing",
     "region": "EU", "owner_id": 4, "lang": "en", "currency": "EUR", "phone": "+31 20 555 0419",
     "email": None, "contacts": [
         _c("Jane Roe", "Plant Manager", "jane.roe@fabrikam.eu", "Jane"),
         _c("Lukas Bauer", "IT Manager", "lukas.bauer@fabrikam.eu", "Lukas")]},
    {"id": 32, "name": "Tailspin Airlines", "aliases": ["Tailspin"], "industry": "Travel", "region": "APAC",
     "owner_id": 7, "lang": "en", "currency": "USD", "phone": "+65 6555 0198", "email": None,
     "contacts": [
         _c("Sam Lee", "Procurement", "sam.lee@tailspin.aero", "Sam"),
         _c("Grace Tan", "Customer Experience Director", "grace.tan@tailspin.aero", "Grace")]},
    {"id": 33, "name": "Wide World Importers", "aliases": ["Wide World", "WWI"], "industry": "Distribution",
     "region": "US-West", "owner_id": 4, "lang": "en", "currency": "USD", "phone": "+1 206 555 0162",
     "email": "ops@wideworldimporters.com", "contacts": [
         _c("Kevin Morales", "COO", "kevin@wideworldimporters.com", "Kevin")]},
    {"id": 34, "name": "Litware Inc.", "aliases": ["Litware"], "industry": "Software", "region": "US-West",
     "owner_id": 7, "lang": "en", "currency": "USD", "phone": "+1 408 555 0137", "email": None,
     "contacts": [
         _c("Priya Nair", "Head of RevOps", "priya@litware.com", "Priya"),
         _c("Tom Becker", None, None, "Tom", phone=None)]},
    {"id": 35, "name": "Adventure Works Cycles", "aliases": ["Adventure Works"], "industry": "Manufacturing",
     "region": "US-Central", "owner_id": 4, "lang": "en", "currency": "USD", "phone": "+1 312 555 0175",
     "email": "it@adventure-works.com", "contacts": [
         _c("Rachel Kim", "CFO", "rachel.kim@adventure-works.com", "Rachel"),
         _c("Marco Rossi", "Dealer Network Manager", "marco.rossi@adventure-works.com", "Marco")]},
    {"id": 36, "name": "Proseware Health", "aliases": ["Proseware"], "industry": None, "region": None,
     "owner_id": 7, "lang": "en", "currency": "USD", "phone": None, "email": None, "contacts": [
         _c("Diane Foster", "Practice Administrator", "dfoster@proseware.health", "Diane")]},
    {"id": 37, "name": "Coho Winery", "aliases": ["Coho"], "industry": "Food & Beverage", "region": "US-West",
     "owner_id": 4, "lang": "en", "currency": "USD", "phone": "+1 707 555 0150", "email": None,
     "contacts": [
         _c("Ben Miller", "General Manager", "ben@cohowinery.com", "Ben")]},
    # Near-duplicates: entered a second time by another rep, with a legal suffix or a variant.
    {"id": 38, "name": "蓝鲸数据科技有限公司", "aliases": [], "industry": "软件", "region": "上海",
     "owner_id": 2, "lang": "zh", "currency": "CNY", "phone": "021-61328800", "email": None,
     "contacts": [_c("李明", "CTO", None, phone=None)]},
    {"id": 39, "name": "青松制药股份有限公司", "aliases": [], "industry": "医药", "region": None,
     "owner_id": 6, "lang": "zh", "currency": "CNY", "phone": None, "email": None,
     "contacts": [_c("钱芳", "采购", None)]},
    {"id": 40, "name": "Northwind Trading Co.", "aliases": [], "industry": "Distribution", "region": "US-East",
     "owner_id": 4, "lang": "en", "currency": "USD", "phone": "+1 617 555 0123",
     "email": "purchasing@northwind.example", "contacts": []},
]

# Deals on an account without an owner go to this rep.
UNOWNED_FALLBACK_REP = 6
