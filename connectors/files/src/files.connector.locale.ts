import type { ConnectorLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const filesConnectorLocales: ConnectorLocales = {
  'zh-CN': {
    title: '文件',
    description: '通过流程批量导入 CSV 和 Excel（.xlsx）文件：每行一次运行，流式读取，自动识别编码，映射表头，出错行带行号报告。',
  },
};
