import type { Category, FeedbackKind, FeedbackTopic, SubtypeKey, VisitPurpose } from '$lib/domain';

/** What volunteers and residents write, in Chinese as they would write it. `{b}` is a building name. */

const subtypeTitles: Record<SubtypeKey, string> = {
	'parking.ebike_outside_bay': '电动车未入棚乱停放',
	'parking.fire_lane_blocked': '消防通道被占用',
	'parking.car_on_green': '机动车占用绿地停放',
	'parking.ebike_charging_indoors': '电动车入户/楼道充电',
	'sanitation.overflowing_bin': '垃圾桶满溢',
	'sanitation.unsorted_waste': '垃圾未分类投放',
	'sanitation.litter': '路面乱扔垃圾',
	'sanitation.bulky_waste': '大件垃圾乱堆放',
	'safety.light_broken': '路灯/楼道灯损坏',
	'safety.door_access': '单元门禁损坏',
	'safety.cctv_down': '监控摄像头不工作',
	'safety.fire_hazard': '消防安全隐患',
	'facility.elevator': '电梯故障',
	'facility.water_leak': '管道漏水',
	'other.other': '其他问题'
};

const observationNotes: Record<SubtypeKey, readonly string[]> = {
	'parking.ebike_outside_bay': [
		'{b}门口电动车停放杂乱，堵住单元入口',
		'车棚外停了七八辆电动车，行人通行不便',
		'{b}楼下电动车乱停，已提醒车主入棚'
	],
	'parking.fire_lane_blocked': [
		'{b}旁消防通道停了两辆私家车',
		'消防通道被快递车占用，无法通行',
		'夜间消防通道停满车辆，救援车辆进不来'
	],
	'parking.car_on_green': ['{b}南侧有车辆压占绿化带', '轿车停在草坪上，草坪被压坏'],
	'parking.ebike_charging_indoors': [
		'{b}楼道内有电动车飞线充电',
		'发现居民把电瓶带回家充电，存在火灾隐患',
		'{b}一楼楼道停放电动车并私拉电线'
	],
	'sanitation.overflowing_bin': ['{b}旁垃圾桶已满，垃圾散落地面', '分类亭垃圾满溢，有异味'],
	'sanitation.unsorted_waste': ['厨余垃圾和其他垃圾混投', '{b}垃圾投放点分类不规范'],
	'sanitation.litter': ['{b}周边地面纸屑、烟头较多', '小区主干道有较多白色垃圾'],
	'sanitation.bulky_waste': ['{b}楼下堆放旧沙发、床垫', '装修垃圾堆在绿化带旁未清运'],
	'safety.light_broken': ['{b}楼道感应灯不亮', '小区东侧路灯坏了两盏，夜间很黑'],
	'safety.door_access': ['{b}单元门禁坏了，门一直开着', '门禁刷卡无反应，居民用砖头顶门'],
	'safety.cctv_down': ['大门口监控画面黑屏', '{b}附近监控摄像头被树枝挡住'],
	'safety.fire_hazard': ['{b}楼道堆放纸箱等杂物', '消防栓箱内水带缺失', '灭火器过期未更换'],
	'facility.elevator': ['{b}电梯运行有异响', '{b}电梯停运，老人上下楼困难'],
	'facility.water_leak': ['{b}地下室管道漏水', '小区主管道破裂，路面积水'],
	'other.other': ['{b}楼顶有居民私搭鸽棚', '小区内有流浪犬出没']
};

export function subtypeTitle(subtype: SubtypeKey): string {
	return (subtypeTitles as Record<string, string>)[subtype] ?? subtypeTitles['other.other'];
}

export function observationNote(subtype: SubtypeKey, pick: <T>(items: readonly T[]) => T): string {
	return pick(
		(observationNotes as Record<string, readonly string[]>)[subtype] ?? observationNotes['other.other']
	);
}

export const resolvedOnSpotNotes = ['已现场劝导处理', '已联系车主挪车', '已当场清理', '已提醒居民整改'];

const feedbackTexts: Record<FeedbackTopic, readonly string[]> = {
	cleanliness: [
		'楼道卫生很久没人打扫了，希望物业加强保洁',
		'垃圾清运不及时，夏天味道很大',
		'小区里狗屎很多，希望多宣传文明养犬'
	],
	safety: [
		'小区大门门卫经常不在岗，外来人员随便进出',
		'晚上路灯太暗，老人出门不安全',
		'楼道里堆放杂物，担心有火灾隐患'
	],
	parking: [
		'电动车车棚不够用，充电桩太少',
		'小区停车位紧张，晚上回来没地方停',
		'外来车辆占用小区车位，希望加强管理'
	],
	greenery: ['绿化带很久没修剪了，蚊虫多', '希望在空地上多种些树', '有居民在绿化带里种菜'],
	facilities: ['健身器材坏了没人修', '单元门禁经常坏，希望更换', '希望小区能加装电梯'],
	noise: ['楼上装修噪音太大，中午也不停', '广场舞音响声音太大，影响休息', '夜间烧烤摊噪音扰民'],
	neighbours: ['邻居家漏水到我家，协商没有结果', '对门在楼道里堆放杂物，沟通无果'],
	property_fees: ['物业费上涨没有公示', '希望公开物业费收支情况', '公共收益怎么使用的，想了解一下'],
	other: ['希望社区多组织一些老年人活动', '想咨询一下老旧小区改造的进度', '希望增设快递柜']
};

const praiseTexts = [
	'网格长上门帮忙解决了下水道堵塞，非常感谢',
	'志愿者晚上巡查很认真，小区停车秩序好多了',
	'物业这次维修电梯很及时，给他们点赞',
	'社区工作人员帮我家老人办好了手续，谢谢'
];

export function feedbackText(kind: FeedbackKind, topic: FeedbackTopic, pick: <T>(items: readonly T[]) => T) {
	return kind === 'praise' ? pick(praiseTexts) : pick(feedbackTexts[topic]);
}

export const praiseTopics: readonly FeedbackTopic[] = ['cleanliness', 'safety', 'parking', 'facilities'];

export const visitSummaries: Record<VisitPurpose, readonly string[]> = {
	routine: ['例行走访，住户情况正常', '入户了解居民需求，无特殊问题', '登记住户信息，核对人口情况'],
	follow_up: ['回访上次反映的问题，居民表示已解决', '回访维修情况，居民基本满意'],
	elderly_care: ['看望独居老人，身体状况良好', '为高龄老人送去慰问品，了解生活需求', '帮助老人预约上门体检'],
	dispute: ['调解邻里漏水纠纷，双方达成初步意见', '了解楼上楼下噪音矛盾，约定再次协调'],
	policy: ['宣传垃圾分类政策', '宣传电动车安全充电知识', '讲解医保缴费政策'],
	survey: ['开展居民满意度调查', '征求小区改造意见']
};

/** What a household visit turns up that needs someone to come back, and which kind of case it makes. */
export const visitFollowUps: readonly { category: Category; text: string }[] = [
	{ category: 'facility', text: '居民反映卫生间楼板渗水，需要物业上门查看' },
	{ category: 'facility', text: '楼栋电梯经常停运，居民要求尽快维修' },
	{ category: 'safety', text: '楼道灯长期不亮，老人夜间行走不便，需报修' },
	{ category: 'safety', text: '独居老人家中燃气软管老化，需协调更换' },
	{ category: 'sanitation', text: '楼下长期堆放杂物，居民要求清理' },
	{ category: 'other', text: '邻里纠纷未解决，需社区再次协调' },
	{ category: 'other', text: '老人申请居家养老服务，需跟进办理' }
];

export const caseComments = [
	'已联系物业公司，明天上午处理',
	'已电话联系居民，约定上门时间',
	'维修材料已采购，等待施工',
	'现场查看过，需要协调相关部门',
	'已催办，物业承诺本周内完成',
	'居民来电询问进度，已答复',
	'已拍照留档'
];

export const resolutions: Record<Category, readonly string[]> = {
	parking: ['已联系车主挪车，并张贴温馨提示', '已清理违停车辆，增设禁停标识', '已增划电动车停放区域'],
	sanitation: ['已安排保洁清运完毕', '已增加垃圾清运频次', '已清理并对居民进行分类宣传'],
	safety: ['已更换灯具，恢复照明', '已维修门禁系统', '已清理楼道杂物，消除隐患', '已恢复监控'],
	facility: ['已由维保单位维修，电梯恢复运行', '已更换破损管道', '已完成维修，居民确认'],
	other: ['已协调双方达成一致', '已向居民解释说明', '已转交相关部门并跟踪办结']
};

export const rejectionReasons = [
	'属市政道路管理范围，已告知居民向城管部门反映',
	'属于业主之间的私人纠纷，建议通过人民调解处理',
	'经核实不属于物业服务范围',
	'经现场核实，问题不存在'
];

export const reopenReasons = ['居民反映问题仍未解决', '复查发现问题反复出现', '居民对处理结果不满意'];
