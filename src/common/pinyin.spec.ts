import { byPinyin } from './pinyin';

describe('byPinyin (the map tiles’ order)', () => {
  it('orders county names by 拼音, not by code point', () => {
    const names = ['源城区', '龙川县', '东源县', '和平县', '连平县', '紫金县'];
    expect([...names].sort()).toEqual(['东源县', '和平县', '源城区', '紫金县', '连平县', '龙川县']);
    expect([...names].sort(byPinyin)).toEqual([
      '东源县',
      '和平县',
      '连平县',
      '龙川县',
      '源城区',
      '紫金县',
    ]);
  });

  it('orders numbers in names by their value (测试县2 before 测试县10)', () => {
    const names = [
      '测试县10',
      '测试县1',
      '测试县100',
      '测试县2',
      '测试县11',
      '第三片区',
      '测试县20',
    ];
    expect([...names].sort(byPinyin)).toEqual([
      '测试县1',
      '测试县2',
      '测试县10',
      '测试县11',
      '测试县20',
      '测试县100',
      '第三片区',
    ]);
  });

  it('reads the characters of place names as places are read (长 cháng, 厦 xià, 六 lù, 重 chóng, 乐 lè)', () => {
    const names = [
      '长宁县',
      '张湾区',
      '厦门市',
      '沙县',
      '六安市',
      '刘家区',
      '重庆市',
      '乐昌市',
      '阿城区',
    ];
    expect([...names].sort(byPinyin)).toEqual([
      '阿城区', // a
      '长宁县', // chang
      '重庆市', // chong
      '乐昌市', // le
      '刘家区', // liu
      '六安市', // lu
      '沙县', // sha
      '厦门市', // xia
      '张湾区', // zhang
    ]);
  });
});
