import { wxXml } from './wx-delivery.fixture.js';

// 客户联系 callbacks and 获取客户详情 answers in the documented format
// (developer.work.weixin.qq.com/document/path/92130 and path/92114).

export const EXTERNAL_USERID = 'woAJ2GCAAAXtWyujaWJHDDGi0mACHAAA';

/** The decrypted change_external_contact event. */
export function contactEventXml(changeType: string, opts: { corpId: string; createTime: string; userId?: string; externalUserId?: string; state?: string }): string {
  const fields: Record<string, string> = {
    ToUserName: opts.corpId,
    FromUserName: 'sys',
    CreateTime: opts.createTime,
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: changeType,
    UserID: opts.userId ?? 'rocky',
    ExternalUserID: opts.externalUserId ?? EXTERNAL_USERID,
  };
  if (changeType === 'add_external_contact' || changeType === 'add_half_external_contact') {
    if (opts.state !== undefined) fields.State = opts.state;
    fields.WelcomeCode = 'WELCOMECODE';
  }
  return wxXml(fields);
}

/** externalcontact/get for a WeCom user with two staff members following them. */
export const externalContactAnswer = {
  errcode: 0,
  errmsg: 'ok',
  external_contact: {
    external_userid: EXTERNAL_USERID,
    name: '李四',
    position: '采购经理',
    avatar: 'http://p.qlogo.cn/bizmail/IcsdgagqefergqerhewSdage/0',
    corp_name: '腾讯',
    corp_full_name: '腾讯科技有限公司',
    type: 2,
    gender: 1,
    unionid: 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA',
  },
  follow_user: [
    {
      userid: 'rocky',
      remark: '李部长',
      description: '对接采购事务',
      createtime: 1525779812,
      tags: [{ group_name: '标签分组名称', tag_name: '标签名称', tag_id: 'etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA', type: 1 }],
      remark_corp_name: '腾讯科技',
      remark_mobiles: ['13912345678', '13700004321'],
      oper_userid: 'rocky',
      add_way: 10,
      state: '外联二维码1',
    },
    { userid: 'tommy', remark: '李总', description: '采购问题咨询', createtime: 1525881637, state: '外联二维码2', oper_userid: 'woAJ2GCAAAd1asdasdjO4wKmE8Aabj9AAA', add_way: 3 },
  ],
  next_cursor: '',
};
