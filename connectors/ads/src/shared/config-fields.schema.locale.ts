import type { SchemaLocale } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

/** Texts of fields that several declarations share (spread into their own). */
export const vendorApiFieldsLocale: SchemaLocale = {
  '/properties/requestsPerMinute': { title: '每分钟请求数', description: '此连接每分钟调用平台接口的次数，所有 worker 共用。' },
  '/properties/allowPrivateNetwork': { title: '允许访问内网', description: '允许基础 URL 指向回环或私有地址（本地代理或测试服务器）。生产环境请关闭。' },
};

/** Texts of fields that several declarations share (spread into their own). */
export const leadPollFieldsLocale: SchemaLocale = {
  '/properties/intervalSeconds': { title: '轮询间隔（秒）' },
  '/properties/overlapMinutes': { title: '重叠时间（分钟）', description: '每次轮询都从上次结束处往前多读这么久，以免漏掉平台延迟显示的线索。重复的线索按线索 ID 识别，不会再次运行。' },
  '/properties/maxWindowHours': { title: '最长时间窗口（小时）', description: '补录或长时间暂停后，按不超过此长度的时间窗口依次读取。' },
  '/properties/initialLookbackHours': { title: '首次回溯（小时）', description: '新发布的流程从多久以前开始读取。要读取更早的数据请使用补录。' },
  '/properties/pageSize': { title: '每页条数' },
};
