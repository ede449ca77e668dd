import { expect, test } from 'vitest'
import { lead } from '../test-utils'
import { csvCell, leadsToCsv } from './csv'

test('quotes cells with commas, quotes and line breaks', () => {
  expect(csvCell('plain')).toBe('plain')
  expect(csvCell('a,b')).toBe('"a,b"')
  expect(csvCell('say "hi"')).toBe('"say ""hi"""')
  expect(csvCell('two\nlines')).toBe('"two\nlines"')
})

test('defuses cells a spreadsheet would run as a formula', () => {
  expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
  expect(csvCell('+1')).toBe("'+1")
  expect(csvCell('-2')).toBe("'-2")
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
})

test('writes uid, status, result and the moment seen finished, with CRLF rows', () => {
  const csv = leadsToCsv(
    [
      lead(1, 'PROCESSED', 'CONVERTED_TO_PROSPECT'),
      lead(2),
      { uid: '=cmd', status: 'X', processing_result: null },
    ],
    { [lead(1).uid]: Date.parse('2026-12-04T19:02:03Z') },
  )
  expect(csv).toBe(
    'uid,status,result,seen_finished_at\r\n' +
      `${lead(1).uid},PROCESSED,CONVERTED_TO_PROSPECT,2026-12-04T19:02:03.000Z\r\n` +
      `${lead(2).uid},PENDING,,\r\n` +
      "'=cmd,X,,\r\n",
  )
})
