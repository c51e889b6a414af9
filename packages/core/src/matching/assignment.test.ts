import { describe, expect, it } from 'vitest'
import { seededRandom } from '../random/index.ts'
import { type AssignmentProblem, maxScoreAssignment } from './assignment.ts'

interface Case {
  problem: AssignmentProblem
  eligible: number[][] // value per row and column, -1 when not eligible
}

function randomCase(random: () => number, maxRows: number, maxColumns: number): Case {
  const rows = 1 + Math.floor(random() * maxRows)
  const columns = 1 + Math.floor(random() * maxColumns)
  const density = [0.3, 0.6, 0.9][Math.floor(random() * 3)] as number
  // Narrow value ranges make ties common, which is where solvers go wrong.
  const range = random() < 0.3 ? 3 : 1000
  const eligible = Array.from({ length: rows }, () =>
    Array.from({ length: columns }, () => (random() < density ? Math.floor(random() * range) : -1)),
  )
  const seats = Array.from({ length: columns }, () => {
    const count = Math.floor(random() * 4)
    let next = Math.floor(random() * range)
    return Array.from({ length: count }, () => {
      const seat = next
      next = Math.max(0, next - Math.floor(random() * (range / 2 + 1)))
      return seat
    })
  })
  const rowStart = new Int32Array(rows + 1)
  const column: number[] = []
  const value: number[] = []
  eligible.forEach((line, r) => {
    line.forEach((v, c) => {
      if (v >= 0) {
        column.push(c)
        value.push(v)
      }
    })
    rowStart[r + 1] = column.length
  })
  return {
    problem: { rows, rowStart, column: Int32Array.from(column), value: Int32Array.from(value), seats },
    eligible,
  }
}

/** Every feasible assignment, scored (matched, value); the lexicographic best. */
function bruteForce({ problem, eligible }: Case): { matched: number; value: number } {
  const used = new Array<number>(problem.seats.length).fill(0)
  let best = { matched: -1, value: -1 }
  const visit = (r: number, matched: number, value: number) => {
    if (r === problem.rows) {
      let total = value
      problem.seats.forEach((list, c) => {
        for (let k = 0; k < (used[c] as number); k++) total += list[k] as number
      })
      if (matched > best.matched || (matched === best.matched && total > best.value))
        best = { matched, value: total }
      return
    }
    visit(r + 1, matched, value)
    ;(eligible[r] as number[]).forEach((v, c) => {
      if (v < 0 || (used[c] as number) >= (problem.seats[c] as number[]).length) return
      used[c] = (used[c] as number) + 1
      visit(r + 1, matched + 1, value + v)
      used[c] = (used[c] as number) - 1
    })
  }
  visit(0, 0, 0)
  return best
}

/** Checks the solver's assignment is feasible and worth what it claims. */
function audit({ problem, eligible }: Case, columnOf: Int32Array): { matched: number; value: number } {
  const used = new Array<number>(problem.seats.length).fill(0)
  let matched = 0
  let value = 0
  columnOf.forEach((c, r) => {
    if (c < 0) return
    const v = (eligible[r] as number[])[c] as number
    expect(v).toBeGreaterThanOrEqual(0)
    used[c] = (used[c] as number) + 1
    matched++
    value += v
  })
  problem.seats.forEach((list, c) => {
    expect(used[c]).toBeLessThanOrEqual(list.length)
    for (let k = 0; k < (used[c] as number); k++) value += list[k] as number
  })
  return { matched, value }
}

describe('Optimal assignment (min-cost flow)', () => {
  it('matches the brute-force optimum on 3 000 small random cases, pruned or not', () => {
    const random = seededRandom(2025)
    let prunedRounds = 0
    let seatsScarce = 0
    let seatsPlenty = 0
    for (let i = 0; i < 3000; i++) {
      const testCase = randomCase(random, 6, 4)
      const expected = bruteForce(testCase)
      const totalSeats = testCase.problem.seats.reduce((sum, list) => sum + list.length, 0)
      if (totalSeats < testCase.problem.rows) seatsScarce++
      else seatsPlenty++
      for (const candidatesPerRow of [1, 2, 24]) {
        const result = maxScoreAssignment(testCase.problem, { candidatesPerRow })
        expect(audit(testCase, result.columnOf), `case ${i}, keep ${candidatesPerRow}`).toEqual(expected)
        expect({ matched: result.matched, value: result.value }).toEqual(expected)
        if (result.rounds > 1) prunedRounds++
      }
    }
    // Both search directions and the pruning fallback were exercised.
    expect(seatsScarce).toBeGreaterThan(300)
    expect(seatsPlenty).toBeGreaterThan(300)
    expect(prunedRounds).toBeGreaterThan(10)
  })

  it('agrees with the unpruned solve on larger random cases', () => {
    const random = seededRandom(7)
    for (let i = 0; i < 40; i++) {
      const testCase = randomCase(random, 80, 25)
      const full = maxScoreAssignment(testCase.problem, { candidatesPerRow: 10_000 })
      expect(full.rounds).toBe(1)
      for (const candidatesPerRow of [1, 3]) {
        const pruned = maxScoreAssignment(testCase.problem, { candidatesPerRow })
        expect({ matched: pruned.matched, value: pruned.value }).toEqual({
          matched: full.matched,
          value: full.value,
        })
        expect(audit(testCase, pruned.columnOf)).toEqual({ matched: full.matched, value: full.value })
      }
    }
  })

  it('prefers matching one more row over a higher value', () => {
    // Row 0 loves column 0 (100) and barely fits column 1 (1); row 1 fits only column 0 (1).
    const problem: AssignmentProblem = {
      rows: 2,
      rowStart: Int32Array.from([0, 2, 3]),
      column: Int32Array.from([0, 1, 0]),
      value: Int32Array.from([100, 1, 1]),
      seats: [[0], [0]],
    }
    const result = maxScoreAssignment(problem)
    expect([...result.columnOf]).toEqual([1, 0])
    expect(result).toMatchObject({ matched: 2, value: 2 })
  })

  it('spreads rows when a second seat is worth less', () => {
    const problem: AssignmentProblem = {
      rows: 2,
      rowStart: Int32Array.from([0, 2, 4]),
      column: Int32Array.from([0, 1, 0, 1]),
      value: Int32Array.from([10, 9, 10, 9]),
      seats: [
        [5, 0],
        [5, 0],
      ],
    }
    const result = maxScoreAssignment(problem)
    expect(new Set(result.columnOf).size).toBe(2)
    expect(result.value).toBe(10 + 9 + 5 + 5)
  })

  it('leaves rows without eligible columns unassigned', () => {
    const problem: AssignmentProblem = {
      rows: 2,
      rowStart: Int32Array.from([0, 0, 1]),
      column: Int32Array.from([0]),
      value: Int32Array.from([4]),
      seats: [[1]],
    }
    expect([...maxScoreAssignment(problem).columnOf]).toEqual([-1, 0])
  })

  it('refuses seat values that grow', () => {
    const problem: AssignmentProblem = {
      rows: 1,
      rowStart: Int32Array.from([0, 1]),
      column: Int32Array.from([0]),
      value: Int32Array.from([4]),
      seats: [[1, 2]],
    }
    expect(() => maxScoreAssignment(problem)).toThrow(/must not increase/)
  })
})
