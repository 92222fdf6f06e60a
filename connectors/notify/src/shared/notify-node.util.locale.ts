import type { SchemaLocale } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

/** Texts of fields that several declarations share (spread into their own). */
export const sendFieldsLocale: SchemaLocale = {
  '/properties/resultField': { title: '结果字段', description: '发送成功后写入 `{channel, messageId, sentAt, …}` 的数据字段。' },
  '/properties/dedupeHours': { title: '发送记录保留（小时）', description: '在此期间，重试的步骤（或从 API 重试的运行）会跳过已发送过的数据。' },
};
