import { describe, expect, it } from '@jest/globals';
import { normalizeCompanyName } from './company-name.normalizer.js';

describe('normalizeCompanyName', () => {
  it.each([
    ['ABC科技', 'abc科技'],
    ['ABC科技有限公司', 'abc科技'],
    ['ABC（中国）科技有限公司', 'abc科技'],
    ['ＡＢＣ科技股份有限公司', 'abc科技'],
    ['ABC 科技 集团有限公司', 'abc科技'],
    ['Acme Co., Ltd.', 'acme'],
    ['ACME Inc', 'acme'],
    ['Acme Holdings Limited', 'acme'],
    ['A&B 贸易', 'a&b贸易'],
    ['A和B贸易', 'a&b贸易'],
  ])('%p → %p', (raw, key) => {
    expect(normalizeCompanyName(raw)).toBe(key);
  });

  it.each([
    ['ABC科技'], ['ABC科技有限公司'], ['ABC(中国)科技有限公司'], ['ABC（中国）科技有限公司'], ['北京ABC科技有限公司'],
    ['北京市ABC科技有限公司'], ['ABC（北京）科技有限公司'], ['ABC(上海)科技有限公司'], ['中国ABC科技'], ['ABC科技股份有限公司'],
    ['ABC科技有限責任公司'], ['ABC 科技 有限公司'], ['ＡＢＣ科技有限公司'], ['abc科技有限公司 '],
    ['广东省深圳市ABC科技有限公司'], ['ABC科技集团股份有限公司'], ['ABC科技（中國）有限公司'],
  ])('%p shares the key of ABC科技', (raw) => {
    expect(normalizeCompanyName(raw)).toBe('abc科技');
  });

  it.each([
    ['騰訊科技（深圳）有限公司', '腾讯科技'],
    ['腾讯科技(深圳)有限公司', '腾讯科技'],
    ['深圳市腾讯计算机系统有限公司', '腾讯计算机系统'],
    ['華為技術有限公司', '华为技术'],
    ['阿里巴巴（中国）网络技术有限公司', '阿里巴巴网络技术'],
    ['杭州阿里巴巴网络技术有限公司', '阿里巴巴网络技术'],
    ['Alibaba (China) Co., Ltd.', 'alibaba'],
    ['Huawei Technologies Co., Ltd.', 'huaweitechnologies'],
    ['HUAWEI TECHNOLOGIES CO.,LTD', 'huaweitechnologies'],
    ['Acme (Shanghai) Trading Co., Ltd.', 'acmetrading'],
    ['Acme Limited', 'acme'],
    ['Acme Corp.', 'acme'],
    ['Acme Corporation', 'acme'],
    ['Acme Group Holdings Ltd', 'acme'],
    ['ACME, Inc.', 'acme'],
    ['上海银行股份有限公司', '上海银行'],
    ['中国银行', '中国银行'],
    ['中国移动通信集团有限公司', '中国移动通信'],
    ['北京银行', '北京银行'],
    ['小米科技有限责任公司', '小米科技'],
    ['北京小米科技有限责任公司', '小米科技'],
  ])('%p → %p', (raw, key) => {
    expect(normalizeCompanyName(raw)).toBe(key);
  });

  it.each([
    ['ABC科技有限公司上海分公司', 'abc科技上海分公司'],
    ['ABC科技上海分公司', 'abc科技上海分公司'],
    ['ABC科技有限公司（上海分公司）', 'abc科技上海分公司'],
    ['北京ABC科技有限公司上海分公司', 'abc科技上海分公司'],
    ['ABC科技有限公司杭州分公司', 'abc科技杭州分公司'],
    ['招商银行深圳分行', '招商银行深圳分行'],
    ['招商银行股份有限公司深圳分行', '招商银行深圳分行'],
    ['星巴克咖啡有限公司南京西路门店', '星巴克咖啡南京西路门店'],
  ])('branch %p → %p', (raw, key) => {
    expect(normalizeCompanyName(raw)).toBe(key);
  });

  it('keeps branches apart from their parent', () => {
    expect(normalizeCompanyName('ABC科技有限公司上海分公司')).not.toBe(normalizeCompanyName('ABC科技有限公司'));
  });

  it.each([['个人'], ['N/A'], ['无'], ['-'], ['未知'], ['self-employed']])('%p names no company', (raw) => {
    expect(normalizeCompanyName(raw)).toBeUndefined();
  });

  it.each([
    ['昆山市瑞凯生物科技', '瑞凯生物科技'],
    ['昆山瑞凯生物科技有限公司', '瑞凯生物科技'],
    ['达盛电子商务（绵阳）有限公司', '达盛电子商务'],
    ['达盛电子商务(徐汇区)有限公司', '达盛电子商务'],
    ['绵阳达盛电子商务有限公司', '达盛电子商务'],
  ])('strips places beyond the big cities: %p → %p', (raw, key) => {
    expect(normalizeCompanyName(raw)).toBe(key);
  });

  it('returns nothing for empty values', () => {
    expect(normalizeCompanyName('  ')).toBeUndefined();
    expect(normalizeCompanyName(undefined)).toBeUndefined();
    expect(normalizeCompanyName('有限公司')).toBe('有限公司');
  });
});
