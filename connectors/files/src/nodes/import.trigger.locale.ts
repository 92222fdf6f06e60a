import type { NodeLocales } from '@tributary/node-sdk';

// Chinese texts of the declarations in the file beside this one (see NodeLocale in libs/engine):
// the editor shows them when its language is zh-CN, falling back to the English per string.

export const importTriggerLocales: NodeLocales = {
  'zh-CN': {
    title: '文件导入',
    description: '为用 `tributary import <file> --flow <id>` 或 `POST /api/flows/:id/imports` 上传的 CSV 或 Excel（.xlsx）文件的每一行启动一次运行。文件逐行流式读取；自动识别编码（UTF-8，或中文 Windows 上 Excel/WPS 保存的 GBK）和分隔符；表头映射为数据字段。每条数据以文本形式带上该行的值（ID 和手机号不会变成数字；Excel 日期转为 UTC ISO 字符串）以及 `_import`（{ id, file, line }）。出错的行会带行号报告，导入继续进行；再次导入同一文件不会为同一行重复运行。',
    config: {
      '/properties/format': { title: '文件格式', description: '`auto`：根据文件开头的字节区分 .xlsx（zip 压缩包）和 CSV。', enumNames: ['自动识别', 'CSV', 'Excel（xlsx）'] },
      '/properties/encoding': { title: '文本编码（CSV）', description: '`auto`：有 BOM 按 BOM；否则合法的 UTF-8 按 UTF-8；否则按 GB18030（GBK 的超集，中文 Windows 上 Excel 和 WPS 保存的编码），除非字节明显是 Big5 或其他编码。', enumNames: ['自动识别', 'UTF-8', 'GBK', 'GB18030', 'Big5', 'UTF-16LE', 'UTF-16BE'] },
      '/properties/delimiter': { title: '分隔符（CSV）', description: '`auto`：从逗号、制表符、分号和竖线中选出最能切分表头的一个。', enumNames: ['自动识别', '逗号', '分号', '制表符', '竖线'] },
      '/properties/sheet': { title: '工作表（xlsx）', description: '工作表名称，或它在标签中的位置（`1` 表示第一个）。默认：第一个工作表。' },
      '/properties/headerRow': { title: '表头行', description: '列名所在的行；其上方的行会被跳过（CSV 中的空行不计）。' },
      '/properties/headerMap': { title: '表头映射', description: '文件表头 → 数据字段，例如 {"客户手机": "phone", "内部编号": ""}（字段为空表示丢弃该列）。其他表头以原文作为字段名。' },
      '/properties/defaultHeaderMap': { title: '映射常见表头', description: '同时映射常见表头：手机/手机号/手机号码/phone → phone，邮箱/电子邮箱/邮件/email → email，姓名/名字/客户姓名/name → name，公司/公司名称/单位/company → company，城市/所在城市/city → city，省份/省/所在省份/province → province 等。' },
      '/properties/skipEmptyRows': { title: '跳过空行' },
      '/properties/maxErrors': { title: '出错行上限', description: '出错的行达到这个数量时停止导入（标记为失败）；之前已导入的行保留。0 表示从不停止。' },
    },
  },
};
