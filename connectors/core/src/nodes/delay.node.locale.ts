import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const delayNodeLocales: NodeLocales = {
  'zh-CN': {
    title: '延时等待',
    description: '让运行暂停一段时间（例如 3 天）或等到数据中给出的时间，再把数据往下传。等待期间不占用 worker：运行以 `waiting` 状态保存并定时唤醒，重启后依然有效；取消运行即取消等待。',
    ports: { out: '输出', error: '出错' },
    config: {
      '/properties/mode': { title: '等待方式', description: 'duration：从现在起等待固定时长。until：等到数据字段中的时间。', enumNames: ['固定时长', '等到指定时间'] },
      '/properties/amount': { title: '时长' },
      '/properties/unit': { title: '单位', enumNames: ['秒', '分钟', '小时', '天'] },
      '/properties/untilField': { title: '时间字段', description: '等到指定时间时：存放目标时间的数据字段（点路径，ISO 8601 或时间戳）。多条数据时取最晚的时间；没有有效时间的数据发往 `error`。' },
    },
  },
};
