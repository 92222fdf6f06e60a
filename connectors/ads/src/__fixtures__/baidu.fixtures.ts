// Baidu Marketing API getNoticeList answers in the shape of the official baiduads-sdk
// (GetNoticeListResponseWrapper → body.data[0] = {totalNum, rowNumber, noticeDetailList: [NoticeReponse…]}).

export const baiduSecrets = { userName: 'R-示例账户', accessToken: 'baidu-access-token-1', ocpcToken: 'ocpc-token-abc@def' };

export const notice = (clueId: string, commitTime: string, solutionType = 'form', over: Record<string, unknown> = {}) => ({
  userId: 56325868,
  solutionType,
  cluePhoneNumber: '17731343392',
  commitTime,
  clueId,
  flowChannelName: '信息流推广',
  area: '广西-北海',
  connect: 1,
  formDetail: JSON.stringify([
    { name: '姓名', value: '王五', type: 'name' },
    { name: '手机号', value: '17731343392', type: 'phone' },
    { name: '公司名称', value: '北海冠山海文旅', type: 'text' },
    { name: '意向户型', value: '三居', type: 'select' },
  ]),
  campaignId: 566330401,
  adgroupId: 567019948,
  creativeId: 90012345678,
  keywordId: 0,
  keyword: '',
  searchWord: '',
  siteId: 12345,
  pageId: 67890,
  url: 'https://qianhu.wejianzhan.com/site/qianhu.wejianzhan.com/7a321fdb?bd_vid=8712345678901234567',
  bdVid: '8712345678901234567',
  solutionId: 3001,
  solutionName: '留资组件',
  campaignName: 'ocpc二阶-意图词',
  adgroupName: '冠山海',
  ...over,
});
