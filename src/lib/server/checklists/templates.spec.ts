import { describe, expect, it } from 'vitest';
import { templateDraft, templateRevision } from '$lib/domain';
import { generateChecklists } from '../demo/checklists';
import { Random } from '../demo/random';
import { ApiError } from '../http';
import { parseTemplate } from './templates';

describe('a template body on the server', () => {
	it('the demo district’s checklists are valid as they stand, so saving one unchanged is accepted', () => {
		for (const template of Object.values(generateChecklists(new Random(1)))) {
			expect(templateDraft.safeParse(template).success, template.title.en).toBe(true);
			expect(parseTemplate(templateRevision, { ...template, baseVersion: 1 }, 'en').items).toEqual(
				template.items
			);
		}
	});

	it('a bad one is a 400 naming each field in the person’s language', async () => {
		const body = { title: { zh: '', en: 'Walk' }, items: [] };
		let refusal: unknown;
		try {
			parseTemplate(templateDraft, body, 'zh-CN');
		} catch (error) {
			refusal = error;
		}
		expect(refusal).toBeInstanceOf(ApiError);
		const response = (refusal as ApiError).toResponse('zh-CN');
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			code: 'BAD_TEMPLATE',
			message: '清单有 2 处问题：title.zh: 请填写这一栏。；items: 清单至少要有一项。',
			issues: [
				{ path: 'title.zh', code: 'textMissing', message: '请填写这一栏。' },
				{ path: 'items', code: 'noItems', message: '清单至少要有一项。' }
			]
		});
	});
});
