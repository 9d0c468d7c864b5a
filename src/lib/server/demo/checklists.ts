import type { ChecklistItem, ChecklistTemplate } from '$lib/domain';
import type { Random } from './random';

export type ChecklistKind = 'parking' | 'sanitation' | 'safety';

const noteItem: ChecklistItem = {
	key: 'notes',
	label: { zh: '其他情况说明', en: 'Other remarks' },
	type: 'text',
	required: false
};

const items: Record<ChecklistKind, { title: ChecklistTemplate['title']; items: ChecklistItem[] }> = {
	parking: {
		title: { zh: '夜间停车巡查', en: 'Evening parking patrol' },
		items: [
			{
				key: 'fire_lane_clear',
				label: { zh: '消防通道畅通', en: 'Fire lane clear' },
				type: 'yes_no',
				required: true,
				failWhen: false,
				spawns: 'parking.fire_lane_blocked'
			},
			{
				key: 'ebikes_outside_bay',
				label: { zh: '车棚外停放的电动车数量', en: 'E-bikes parked outside the bays' },
				type: 'count',
				required: true,
				failWhen: { atLeast: 5 },
				spawns: 'parking.ebike_outside_bay'
			},
			{
				key: 'indoor_charging',
				label: { zh: '发现楼道或入户充电', en: 'E-bike charging indoors seen' },
				type: 'yes_no',
				required: true,
				failWhen: true,
				spawns: 'parking.ebike_charging_indoors'
			},
			{
				key: 'cars_on_green',
				label: { zh: '绿地停车情况', en: 'Cars on the green' },
				type: 'choice',
				required: true,
				choices: [
					{ value: 'none', label: { zh: '无', en: 'None' } },
					{ value: 'few', label: { zh: '1–2辆', en: '1–2 cars' } },
					{ value: 'many', label: { zh: '3辆以上', en: '3 or more' } }
				],
				failWhen: ['few', 'many'],
				spawns: 'parking.car_on_green'
			},
			{
				key: 'bay_photo',
				label: { zh: '车棚现场照片', en: 'Photo of the bike shelter' },
				type: 'photo',
				required: false
			},
			noteItem
		]
	},
	sanitation: {
		title: { zh: '环境卫生巡查', en: 'Sanitation patrol' },
		items: [
			{
				key: 'bins_overflowing',
				label: { zh: '垃圾桶满溢', en: 'Bins overflowing' },
				type: 'yes_no',
				required: true,
				failWhen: true,
				spawns: 'sanitation.overflowing_bin'
			},
			{
				key: 'sorting',
				label: { zh: '垃圾分类投放情况', en: 'Waste sorting at the collection point' },
				type: 'choice',
				required: true,
				choices: [
					{ value: 'good', label: { zh: '良好', en: 'Good' } },
					{ value: 'fair', label: { zh: '一般', en: 'Fair' } },
					{ value: 'poor', label: { zh: '较差', en: 'Poor' } }
				],
				failWhen: ['poor'],
				spawns: 'sanitation.unsorted_waste'
			},
			{
				key: 'litter_spots',
				label: { zh: '乱扔垃圾点位数', en: 'Spots with litter' },
				type: 'count',
				required: true,
				failWhen: { atLeast: 3 },
				spawns: 'sanitation.litter'
			},
			{
				key: 'bulky_waste',
				label: { zh: '有大件或装修垃圾堆放', en: 'Bulky or renovation waste dumped' },
				type: 'yes_no',
				required: true,
				failWhen: true,
				spawns: 'sanitation.bulky_waste'
			},
			{
				key: 'bin_area_photo',
				label: { zh: '垃圾投放点照片', en: 'Photo of the collection point' },
				type: 'photo',
				required: false
			},
			noteItem
		]
	},
	safety: {
		title: { zh: '安全巡查', en: 'Safety walk' },
		items: [
			{
				key: 'lights_working',
				label: { zh: '路灯和楼道灯正常', en: 'Street and stairwell lights working' },
				type: 'yes_no',
				required: true,
				failWhen: false,
				spawns: 'safety.light_broken'
			},
			{
				key: 'door_access',
				label: { zh: '单元门禁正常', en: 'Entrance door locks working' },
				type: 'yes_no',
				required: true,
				failWhen: false,
				spawns: 'safety.door_access'
			},
			{
				key: 'cctv',
				label: { zh: '监控设备状态', en: 'CCTV cameras' },
				type: 'choice',
				required: true,
				choices: [
					{ value: 'all_on', label: { zh: '全部正常', en: 'All working' } },
					{ value: 'some_down', label: { zh: '部分故障', en: 'Some down' } },
					{ value: 'all_down', label: { zh: '全部故障', en: 'All down' } }
				],
				failWhen: ['some_down', 'all_down'],
				spawns: 'safety.cctv_down'
			},
			{
				key: 'blocked_stairwells',
				label: { zh: '楼道堆物处数', en: 'Stairwells with clutter' },
				type: 'count',
				required: true,
				failWhen: { atLeast: 1 },
				spawns: 'safety.fire_hazard'
			},
			{
				key: 'elevator_ok',
				label: { zh: '电梯运行正常', en: 'Lifts running normally' },
				type: 'yes_no',
				required: false,
				failWhen: false,
				spawns: 'facility.elevator'
			},
			{
				key: 'hazard_photo',
				label: { zh: '隐患照片', en: 'Photo of any hazard' },
				type: 'photo',
				required: false
			},
			noteItem
		]
	}
};

export const checklistKinds: readonly ChecklistKind[] = ['parking', 'sanitation', 'safety'];

export function generateChecklists(rng: Random): Record<ChecklistKind, ChecklistTemplate> {
	return Object.fromEntries(
		checklistKinds.map((kind) => [kind, { id: rng.uuid(), version: 1, ...items[kind] }])
	) as Record<ChecklistKind, ChecklistTemplate>;
}
