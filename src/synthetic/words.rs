//! The phrase lists synthetic data is built from: programs and sentences per
//! category, organisation names, made-up personal names. Need texts are
//! built only from the need phrases below, which hold no digits, names,
//! village names or address shapes (a unit test checks generated needs
//! against their children's files).

/// A category's words: offer program names, offer sentences, need titles
/// for school-age and for young children, need sentences.
pub struct CategoryWords {
    pub code: &'static str,
    pub programs: &'static [&'static str],
    pub offer_lines: &'static [&'static str],
    pub need_titles: &'static [&'static str],
    pub need_titles_young: &'static [&'static str],
    pub need_lines: &'static [&'static str],
    /// Ages an offer of this category usually serves.
    pub ages: (i16, i16),
}

pub const CATEGORIES: &[CategoryWords] = &[
    CategoryWords {
        code: "daily_care",
        programs: &[
            "生活照料",
            "放学后托管照料",
            "爱心午餐",
            "周末日间照料",
            "假期托管服务",
            "儿童之家日间照护",
        ],
        offer_lines: &[
            "为家中无人照料的儿童提供放学后的托管、晚餐和作业看护",
            "由专职照护人员负责孩子的饮食起居和安全",
            "在乡镇儿童之家提供午餐和午休场所",
            "假期每天开放，帮助外出务工家庭解决看护难题",
        ],
        need_titles: &[
            "放学后生活照料",
            "假期托管照料",
            "周末日间照料",
            "午餐和生活照料",
        ],
        need_titles_young: &["婴幼儿日间照护", "学龄前儿童日间照料"],
        need_lines: &[
            "放学后家中无人照看，需要托管和晚餐照料",
            "希望假期有安全的托管场所",
            "照料人年迈体弱，日常起居需要有人搭把手",
        ],
        ages: (3, 14),
    },
    CategoryWords {
        code: "tutoring",
        programs: &[
            "四点半课堂课业辅导",
            "周末课业辅导班",
            "暑期学业辅导营",
            "留守儿童作业辅导",
            "数学思维提升辅导",
            "语文阅读写作辅导",
            "英语口语兴趣课",
            "大学生志愿者支教",
        ],
        offer_lines: &[
            "放学后在四点半课堂辅导作业、答疑解惑",
            "由在职教师和师范院校志愿者授课",
            "按年级分班，小班教学，关注基础薄弱的孩子",
            "提供学习用品和课间点心",
            "每学期组织两次学习成果展示",
        ],
        need_titles: &[
            "数学课业辅导",
            "语文阅读辅导",
            "英语课业辅导",
            "放学后作业辅导",
            "四点半课堂课业辅导",
            "期末复习辅导",
            "初中课业辅导",
        ],
        need_titles_young: &["学前识字启蒙", "幼儿阅读启蒙"],
        need_lines: &[
            "孩子学习基础薄弱，家中无人能辅导功课",
            "希望每周两次放学后的课业辅导，帮助完成作业、巩固基础",
            "孩子上课跟不上进度，需要耐心的老师补习",
            "希望有志愿者辅导阅读和写作",
        ],
        ages: (6, 15),
    },
    CategoryWords {
        code: "rehabilitation",
        programs: &[
            "孤独症儿童康复训练",
            "脑瘫儿童肢体康复训练",
            "听障儿童言语康复",
            "智力障碍儿童康复教育",
            "康复器具适配与训练",
            "居家康复指导",
        ],
        offer_lines: &[
            "由康复治疗师进行评估，制定个别化康复训练计划",
            "提供感统训练、言语训练和认知训练",
            "对家长进行居家康复指导培训",
            "配备专业康复设备，可提供上门服务",
            "与县残联合作，符合条件的儿童免费接受康复",
        ],
        need_titles: &[
            "孤独症儿童康复训练",
            "肢体康复训练",
            "言语康复训练",
            "康复器具适配",
            "认知康复训练",
        ],
        need_titles_young: &["孤独症早期干预", "婴幼儿康复训练", "言语发育康复训练"],
        need_lines: &[
            "需要专业的康复训练，希望就近的康复机构提供服务",
            "希望康复师上门指导家长开展居家训练",
            "需要长期坚持训练，家庭难以承担往返费用",
            "希望得到孤独症康复训练和家长培训",
        ],
        ages: (0, 14),
    },
    CategoryWords {
        code: "medical",
        programs: &[
            "大病医疗救助",
            "免费健康体检",
            "眼科义诊",
            "口腔健康检查",
            "先天性心脏病筛查救治",
            "儿童营养改善",
        ],
        offer_lines: &[
            "为困境儿童提供免费健康体检和建档",
            "对符合条件的大病患儿给予医疗费用救助",
            "联合县人民医院专家下乡义诊",
            "协助办理医疗救助和慈善援助申请",
        ],
        need_titles: &[
            "住院治疗费用救助",
            "手术费用救助",
            "长期用药费用救助",
            "视力矫正和配镜",
        ],
        need_titles_young: &["婴幼儿疾病治疗救助", "先天性疾病手术救助"],
        need_lines: &[
            "孩子正在治疗，医保报销后自付部分仍有较大缺口",
            "需要手术治疗，家庭无力承担费用",
            "需要长期服药和定期复查",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "counselling",
        programs: &[
            "心理疏导",
            "留守儿童心理辅导",
            "团体心理辅导活动",
            "青春期心理健康讲座",
            "沙盘游戏心理疏导",
            "心理危机干预",
        ],
        offer_lines: &[
            "由国家二级心理咨询师提供一对一心理疏导",
            "开展团体辅导和情绪管理训练",
            "对有创伤经历的儿童进行专业干预",
            "为家长和老师提供心理健康知识培训",
        ],
        need_titles: &["心理疏导", "情绪疏导和陪伴", "心理辅导", "青春期心理辅导"],
        need_titles_young: &["亲子关系心理辅导"],
        need_lines: &[
            "孩子情绪低落，不愿与人交流，需要专业心理疏导",
            "经历家庭变故后出现焦虑，希望心理咨询师定期辅导",
            "希望每两周一次心理辅导",
        ],
        ages: (6, 17),
    },
    CategoryWords {
        code: "legal_aid",
        programs: &[
            "法律援助",
            "未成年人权益维护",
            "法治教育进校园",
            "监护权纠纷法律咨询",
            "防性侵安全教育讲座",
        ],
        offer_lines: &[
            "由执业律师提供免费法律咨询和诉讼代理",
            "协助办理抚养费追索、监护权变更等事项",
            "开展未成年人保护法宣讲和自我保护教育",
            "与县法律援助中心联动，快速受理",
        ],
        need_titles: &[
            "法律援助",
            "抚养费追索法律援助",
            "监护权变更法律咨询",
            "权益维护",
        ],
        need_titles_young: &["监护权法律援助"],
        need_lines: &[
            "需要律师协助追索抚养费",
            "监护安排需要法律帮助，希望得到法律援助",
            "希望了解相关政策和权益保障途径",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "donation_money",
        programs: &[
            "爱心助学金",
            "困境儿童助学资助",
            "大病救助专项资金",
            "新学期助学金",
            "生活补助金资助",
        ],
        offer_lines: &[
            "每学期向困境学生发放助学金",
            "资金由慈善会统一管理，公开透明",
            "资助标准根据家庭困难程度确定",
            "资金直接拨付学校或医疗机构",
        ],
        need_titles: &["助学资金资助", "生活费资助", "学杂费资助", "新学期助学金"],
        need_titles_young: &["婴幼儿生活费资助", "奶粉和营养费资助"],
        need_lines: &[
            "家庭经济困难，孩子的学习和生活费用没有着落",
            "希望得到资金捐赠，用于孩子上学",
            "需要资助孩子的日常生活开支",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "donation_goods",
        programs: &[
            "爱心捐赠冬衣",
            "图书捐赠",
            "学习用品捐助",
            "助听器捐赠",
            "营养包发放",
            "爱心书包",
        ],
        offer_lines: &[
            "募集冬衣、棉被、书包和文具，按需求配送到乡镇",
            "捐赠适龄课外读物，建立图书角",
            "物资全部为新品，按儿童身高尺码配发",
            "可为听障儿童适配助听设备",
        ],
        need_titles: &[
            "冬季衣物和学习用品",
            "课外图书",
            "书包和文具",
            "助听设备",
            "棉被和御寒衣物",
        ],
        need_titles_young: &["婴幼儿衣物和奶粉", "学步车和婴儿用品"],
        need_lines: &[
            "需要冬季棉衣、棉鞋、书包和文具",
            "家中没有课外书，希望得到适龄图书",
            "需要适配助听设备，并提供使用指导",
            "御寒衣物不足，需要棉被和冬衣",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "family_education",
        programs: &[
            "家庭教育指导",
            "家长课堂",
            "亲子阅读指导",
            "隔代教养家长培训",
            "家庭教育入户指导",
        ],
        offer_lines: &[
            "由家庭教育指导师入户开展一对一指导",
            "每月举办家长课堂，讲解沟通方法和教养技巧",
            "针对祖辈照料的家庭开展隔代教养培训",
            "组织亲子阅读和亲子活动",
        ],
        need_titles: &["家庭教育指导", "隔代教养指导", "亲子沟通指导"],
        need_titles_young: &["科学育儿指导", "亲子阅读指导"],
        need_lines: &[
            "照料人不懂如何与孩子沟通，希望得到家庭教育指导",
            "祖辈照料孩子力不从心，需要教养方法指导",
            "希望入户指导亲子陪伴和阅读",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "companionship",
        programs: &[
            "结对陪伴",
            "大学生志愿者一对一陪伴",
            "1+1+N 结对帮扶",
            "周末亲情陪伴",
            "代理家长陪伴",
        ],
        offer_lines: &[
            "志愿者与孩子结对，每周至少陪伴一次",
            "开展周末户外活动、阅读和手工课",
            "代理家长定期家访，关心孩子学习和生活",
            "节假日组织团聚活动，让孩子感受温暖",
        ],
        need_titles: &["周末结对陪伴", "志愿者陪伴", "代理家长陪伴", "结对帮扶"],
        need_titles_young: &["亲情陪伴"],
        need_lines: &[
            "父母长期外出务工，孩子性格内向，希望有志愿者周末陪伴",
            "希望有人陪伴阅读和户外活动",
            "孩子渴望关爱，希望长期结对陪伴",
        ],
        ages: (3, 17),
    },
    CategoryWords {
        code: "foster_care",
        programs: &["家庭寄养"],
        offer_lines: &["经评估的爱心家庭提供家庭寄养"],
        need_titles: &["家庭寄养"],
        need_titles_young: &["家庭寄养"],
        need_lines: &[
            "孩子无人照料，需要经评估的爱心家庭寄养",
            "希望在家庭环境中成长",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "entrusted_care",
        programs: &["委托代养"],
        offer_lines: &["经评估的爱心家庭提供委托代养"],
        need_titles: &["委托代养"],
        need_titles_young: &["委托代养"],
        need_lines: &[
            "监护人暂时无法照料，需要委托代养",
            "希望有爱心家庭临时代为照料",
        ],
        ages: (0, 17),
    },
    CategoryWords {
        code: "sponsorship",
        programs: &["爱心助养", "一对一长期助养", "孤儿助养计划"],
        offer_lines: &[
            "爱心人士一对一长期资助孩子的生活和学习",
            "助养款按月发放，定期反馈孩子成长情况",
            "助养关系由乡镇民政办跟进",
        ],
        need_titles: &["爱心助养", "长期助养", "生活和学习助养"],
        need_titles_young: &["爱心助养"],
        need_lines: &[
            "希望爱心家庭长期助养，资助生活和学习费用",
            "由祖辈照料，经济来源有限，希望得到助养",
        ],
        ages: (0, 17),
    },
];

/// Categories a provider may offer (placements are for assessed families).
pub const PROVIDER_CATEGORIES: &[&str] = &[
    "daily_care",
    "tutoring",
    "tutoring",
    "rehabilitation",
    "medical",
    "counselling",
    "counselling",
    "legal_aid",
    "donation_money",
    "donation_goods",
    "donation_goods",
    "family_education",
    "companionship",
    "companionship",
    "sponsorship",
];

/// Sentences any offer may carry.
pub const OFFER_COMMON: &[&str] = &[
    "面向全县困境儿童和留守儿童",
    "由持证社会工作者和志愿者提供服务",
    "服务前进行需求评估，服务后定期回访",
    "在乡镇社工站和儿童之家开展",
    "家长或照料人可以陪同参加",
    "提供往返交通补贴",
    "报名请联系乡镇民政办或通过平台对接",
    "服务期为一个学期，可续期",
    "所有服务免费",
    "严格保护儿童隐私",
    "欢迎爱心人士加入志愿者队伍",
    "优先服务低保家庭和孤儿、事实无人抚养儿童",
];

pub const SCHEDULES: &[&str] = &[
    "每周一至周五下午四点半至六点",
    "每周二、周四下午放学后",
    "每周六上午九点至十一点",
    "每周日下午",
    "寒暑假集中开展",
    "每月第一个周六",
    "每两周一次，时间可预约",
    "工作日全天，需提前预约",
];

pub const SEASONS: &[&str] = &["春季", "秋季", "暑期", "寒假", "新学期", "年度"];

/// Opening sentences of a need by broad difficulty class.
pub const SITUATIONS: &[(&str, &[&str])] = &[
    (
        "poverty",
        &[
            "家庭经济困难，主要收入来自务农",
            "家庭享受低保，收入微薄",
            "父母一方患病，家庭开支紧张",
        ],
    ),
    (
        "disability",
        &[
            "孩子有残疾，日常生活需要协助",
            "孩子持有残疾人证，需要持续的专业支持",
        ],
    ),
    (
        "illness",
        &["孩子患重病，长期治疗", "孩子身体状况较差，需要定期就医"],
    ),
    (
        "care_absent",
        &[
            "孩子缺少监护照料，目前由亲属临时照看",
            "父母长期不在身边，由祖辈照料",
            "孩子目前由民政部门临时监护",
        ],
    ),
];

/// Closing sentences of a need.
pub const NEED_CLOSINGS: &[&str] = &[
    "希望就近的服务机构提供帮助",
    "欢迎有能力的机构和爱心人士对接",
    "具体情况可与乡镇民政办沟通",
    "希望尽快得到回应",
];

/// Organisation names: place + core + kind suffix (with the provider kind).
pub const ORG_PLACES: &[&str] = &[
    "云阳县",
    "青龙街道",
    "双江街道",
    "南溪镇",
    "江口镇",
    "龙角镇",
    "三峡库区",
];
pub const ORG_CORES: &[&str] = &[
    "阳光",
    "春苗",
    "童心",
    "暖阳",
    "向日葵",
    "彩虹",
    "启明星",
    "长江",
    "蒲公英",
    "同心",
    "守望",
    "晨曦",
    "新苗",
    "爱之翼",
    "益友",
    "明德",
    "朝阳",
    "雨露",
];
pub const ORG_SUFFIXES: &[(&str, &str)] = &[
    ("社会工作服务中心", "social_work_agency"),
    ("青少年事务社工站", "social_work_agency"),
    ("公益慈善协会", "charity"),
    ("慈善基金会", "charity"),
    ("志愿者协会", "volunteer_organisation"),
    ("青年志愿服务队", "youth_league"),
    ("职工志愿服务队", "trade_union"),
    ("巾帼志愿服务队", "womens_federation"),
    ("儿童康复中心", "disabled_persons_federation"),
    ("关爱下一代协会", "wellbeing_committee"),
    ("爱心企业联盟", "enterprise"),
    ("家庭教育服务中心", "social_work_agency"),
];

pub const SURNAMES: &[&str] = &[
    "陈", "刘", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
    "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅",
    "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘",
    "杜", "戴", "欧阳",
];

pub const GIVEN: &[&str] = &[
    "雨桐", "子轩", "欣怡", "浩然", "梓涵", "宇航", "思琪", "俊杰", "佳怡", "诗涵", "一诺", "梓萱",
    "皓轩", "若汐", "沐阳", "语桐", "铭泽", "可馨", "嘉懿", "睿哲", "芷若", "奕辰", "梦瑶", "俊熙",
    "雅琪", "子墨", "依诺", "昊天", "紫涵", "明轩", "欣妍", "博宇", "思源", "雨萱", "天翊", "佳琪",
    "浩宇", "梓晨", "晓彤", "家乐",
];

pub const GUARDIAN_GIVEN: &[&str] = &[
    "建国", "秀英", "德明", "桂兰", "志刚", "玉梅", "永福", "淑珍", "国华", "翠英", "长林", "素芬",
    "红军", "凤英", "海波", "丽萍",
];

pub const RELATIONS: &[&str] = &[
    "父亲",
    "母亲",
    "祖父",
    "祖母",
    "外祖父",
    "外祖母",
    "叔叔",
    "姑姑",
];

pub const CONTACTS: &[&str] = &["陈女士", "刘先生", "王老师", "张社工", "李女士", "赵先生"];

pub const ILLNESSES: &[&str] = &["白血病", "先天性心脏病", "肾病综合征", "脑瘫", "癫痫"];

/// Statutory basis recorded when the guardian cannot consent.
pub const STATUTORY_BASIS: &str =
    "《中华人民共和国未成年人保护法》第九十二条：监护缺失，由民政部门临时监护并建档";
