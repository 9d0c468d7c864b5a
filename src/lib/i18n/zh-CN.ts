export const zhCN = {
	'app.name': '网格行',
	'error.unauthenticated': '请先登录。',
	'error.forbidden': '您没有权限执行此操作。',
	'error.badJson': '请求内容不是有效的 JSON。',
	'error.badRequest': '请求内容有误：{details}',
	'error.tooLarge': '请求内容过大（上限 {limit}）。',
	'error.notFound': '找不到该页面或记录。',
	'error.internal': '服务器出错了，请稍后再试。您的数据已保存在本机。',
	'error.badCredentials': '用户名或密码不正确。',
	'error.throttled': '尝试次数过多，请在 {seconds} 秒后再试。',
	'error.inactive': '该账号已停用，请联系管理员。',
	'error.crossSite': '拒绝跨站请求。'
} as const;

export type MessageKey = keyof typeof zhCN;
