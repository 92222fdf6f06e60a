import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const oceanenginePushTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '巨量引擎线索推送',
    description: '接收飞鱼的线索推送。飞鱼不签名，因此 URL 中带有连接的 pushToken。提示模式（默认）下只记录推送：以 oceanengine.leads（签名拉取接口）为准。线索模式下每条推送的线索按 clue_id 启动一次运行，数据格式与轮询相同。',
    config: {
      '/properties/connection': { title: '连接', description: '保存 pushToken 的 oceanengine 连接。' },
      '/properties/mode': { title: '模式', description: 'hint：确认并记录线索 ID，线索由 oceanengine.leads 获取。lead：每条推送的线索运行一次（用它代替轮询，不要同时使用：两个触发器的去重键不通用）。', enumNames: ['仅提示', '线索'] },
      '/properties/tokenParam': { title: '令牌参数', description: '携带推送令牌的查询参数（或模板字段）。' },
    },
  },
};
