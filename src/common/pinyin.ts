/**
 * Place names in 拼音 order (地图's county tiles): ICU's pinyin collation (`zh-u-co-pinyin`, Node's
 * full ICU — not a code-point order, which is what ORDER BY a name gives in SQLite and PostgreSQL),
 * with the readings place names take where a character's common reading differs: 长 cháng (长沙,
 * 长宁; ICU sorts 长 as zhǎng), 厦 xià (厦门), 六 lù (六安, 六合), 番 pān (番禺), 单 shàn (单县), 铅 yán
 * (铅山), 蚌 bèng (蚌埠). Digits by their number (第2 before 第10, 测试县9 before 测试县10). docs/web.md.
 */
const collator = new Intl.Collator('zh-u-co-pinyin', { numeric: true });

/** Each a character read as in place names, written as one that has only that reading. */
const PLACE_READINGS: [RegExp, string][] = [
  [/六(安|合)/g, '陆$1'],
  [/番禺/g, '潘禺'],
  [/单县/g, '善县'],
  [/铅山/g, '沿山'],
  [/蚌埠/g, '蹦埠'],
  [/长/g, '常'],
  [/厦/g, '夏'],
];

/** A name as it sorts: its place readings in characters of one reading. */
export function placeKey(name: string): string {
  return PLACE_READINGS.reduce((s, [from, to]) => s.replace(from, to), name);
}

/** Compares two place names in 拼音 order (ties: as written). */
export function byPinyin(a: string, b: string): number {
  return collator.compare(placeKey(a), placeKey(b)) || collator.compare(a, b);
}
