import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const scheduleTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '定时触发',
    description: '按 cron 计划在指定时区启动运行。',
    config: {
      '/properties/cron': { title: 'Cron 表达式', description: '5 个字段（分 时 日 月 周），带秒时为 6 个字段且秒在最前；也可用 @hourly/@daily/@weekly/@monthly/@yearly。示例：`0 9 * * 1-5`（工作日 09:00）。' },
      '/properties/timezone': { title: '时区', description: '解读 cron 所用的 IANA 时区，例如 Asia/Shanghai。' },
      '/properties/items': { title: '初始数据', description: '每次运行开始时的数据。默认是一条数据 `{ "firedAt": "<ISO 时间>" }`。' },
    },
  },
};
