import { expect, test } from 'vitest'
import { reachedMilestone } from './milestones'

test('maps a percentage to the last milestone passed', () => {
  expect([0, 24, 25, 49, 50, 74, 75, 99, 100].map(reachedMilestone)).toEqual([
    0, 0, 25, 25, 50, 50, 75, 75, 100,
  ])
})
