/** Strings that JSON escaping and splicing must get right (quotes, backslashes, control characters, unicode). */
export const TRICKY: readonly string[] = [
  '',
  'word ',
  'say "hi"',
  'C:\\Users\\me\\file.ts',
  'line1\nline2\r\n\ttab',
  '\u0000\u0001\u0007\b\f\u001f\u007f',
  'ünïcødé — “quotes” 中文 日本語',
  '🚀 emoji 👩‍👩‍👧 and flags 🇫🇷',
  'lone surrogates \ud83d and \ude80',
  '\u2028\u2029 separators',
  '</script><!-- html -->',
  '{"json":"inside"},"delta":"x"}',
  '\\"',
  '\\',
  '"',
  '\\u0041 is not an escape here',
];
