/**
 * An exact solver for the cohort's assignment problem, as a min-cost flow.
 *
 * Rows (requests) take at most one column (mentor); column `c` has `seats[c].length` seats, the
 * k-th of which is worth `seats[c][k]` (non-increasing in k, so a mentor's second mentee is worth
 * less than the first — this is how load is priced). The objective is lexicographic:
 *   1. match as many rows as possible, then
 *   2. maximise Σ pair values + Σ values of the seats used.
 *
 * Network: row → column (cost maxPair − value), column → sink per seat (cost maxSeat − seat value),
 * and a bypass through an "unassigned" node at cost BIG > (maxPair + maxSeat) · (units + 1), so one
 * more match always outweighs any change of value. Every unit is routed (matched or bypassed), so a
 * min-cost flow routing all units is exactly the lexicographic optimum.
 *
 * Algorithm: successive shortest paths, one unit of the scarcer side at a time (the Hungarian
 * scheme): rows when seats are plentiful, seats (as nodes feeding their column) when requests are.
 * Each unit is routed by Dijkstra on reduced costs from that unit, stopped when the sink is settled
 * at distance D; potentials of settled nodes move by dist − D, which keeps every residual reduced
 * cost ≥ 0. After the last unit no negative cycle exists, so the flow is optimal. Routing the
 * scarcer side keeps each search short: it ends at the first free unit of the plentiful side.
 *
 * Pruning: a pair enters the network only if it is among its row's best `candidatesPerRow` or its
 * column's best `candidatesPerRow + 2 × seats`. That is checked, not trusted: the final potentials
 * prove the pruned flow optimal for the full problem iff every dropped pair has a reduced cost ≥ 0
 * (then the full residual graph has no negative cycle either). For every dropped pair that fails,
 * its row and column keep 4× more pairs and the problem is solved again — at worst with every
 * pair — so the answer is always the exact optimum; pruning only decides how fast it comes.
 */

export interface AssignmentProblem {
  rows: number
  /** Eligible pairs of row r: `column[p]`, `value[p]` for p in `rowStart[r] … rowStart[r + 1] − 1`. */
  rowStart: Int32Array
  column: Int32Array
  /** Non-negative integers. */
  value: Int32Array
  /** Per column, the value of each seat in the order they fill: non-negative, non-increasing integers. */
  seats: readonly ArrayLike<number>[]
}

export interface AssignmentOptions {
  /** Pairs kept per row (and, plus twice its seats, per column) before the optimality check; default 24. */
  candidatesPerRow?: number
}

export interface AssignmentResult {
  /** The column of each row, or -1. */
  columnOf: Int32Array
  matched: number
  /** Σ pair values + Σ seat values used (each column's first seats). */
  value: number
  /** Solves needed until the pruning was proven optimal (1 when the first was). */
  rounds: number
}

/**
 * The lexicographic optimum (most rows matched, then the highest value) of an assignment problem.
 * Exact for integer values; deterministic for a given input.
 *
 * @example
 * // Row 0 fits columns 0 (value 7) and 1 (value 5); row 1 fits only column 0; one seat each.
 * maxScoreAssignment({ rows: 2, rowStart: Int32Array.from([0, 2, 3]), column: Int32Array.from([0, 1, 0]),
 *   value: Int32Array.from([7, 5, 3]), seats: [[0], [0]] })
 * // → columnOf [1, 0], matched 2, value 8
 */
export function maxScoreAssignment(
  problem: AssignmentProblem,
  options: AssignmentOptions = {},
): AssignmentResult {
  const { rows, rowStart, column, value, seats } = problem
  const pairs = rowStart[rows] as number
  const columns = seats.length
  let maxPair = 0
  const degree = new Int32Array(columns)
  for (let p = 0; p < pairs; p++) {
    maxPair = Math.max(maxPair, value[p] as number)
    degree[column[p] as number] = (degree[column[p] as number] as number) + 1
  }
  let maxSeat = 0
  for (const list of seats) {
    for (let k = 0; k < list.length; k++) {
      const seat = list[k] as number
      if (k > 0 && seat > (list[k - 1] as number)) throw new Error('Seat values must not increase')
      maxSeat = Math.max(maxSeat, seat)
    }
  }
  // A column can't fill more seats than it has eligible rows.
  const seatCount = Int32Array.from(seats, (list, c) => Math.min(list.length, degree[c] as number))
  const base = Math.max(1, options.candidatesPerRow ?? 24)
  const keepRow = new Int32Array(rows).fill(base)
  const keepColumn = Int32Array.from(seatCount, (n) => base + 2 * n)
  for (let rounds = 1; ; rounds++) {
    const round = solve(problem, { seatCount, degree, keepRow, keepColumn, maxPair, maxSeat })
    if (round.violations.length === 0) {
      let matched = 0
      let total = 0
      const used = new Int32Array(columns)
      for (let r = 0; r < rows; r++) {
        const c = round.columnOf[r] as number
        if (c < 0) continue
        matched++
        used[c] = (used[c] as number) + 1
        for (let p = rowStart[r] as number; p < (rowStart[r + 1] as number); p++)
          if (column[p] === c) total += value[p] as number
      }
      seats.forEach((list, c) => {
        for (let k = 0; k < (used[c] as number); k++) total += list[k] as number
      })
      return { columnOf: round.columnOf, matched, value: total, rounds }
    }
    for (const p of round.violations) {
      const r = rowOf(rowStart, p)
      const c = column[p] as number
      keepRow[r] = Math.min((rowStart[r + 1] as number) - (rowStart[r] as number), (keepRow[r] as number) * 4)
      keepColumn[c] = Math.min(degree[c] as number, (keepColumn[c] as number) * 4)
    }
  }
}

function rowOf(rowStart: Int32Array, p: number): number {
  let low = 0
  let high = rowStart.length - 2
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((rowStart[mid] as number) <= p) low = mid
    else high = mid - 1
  }
  return low
}

interface Round {
  seatCount: Int32Array
  degree: Int32Array
  keepRow: Int32Array
  keepColumn: Int32Array
  maxPair: number
  maxSeat: number
}

/**
 * One solve on the pruned pairs. The units routed one by one are those of the scarcer side: rows
 * when seats are plentiful, seats when requests are — each search then ends as soon as it meets a
 * free unit of the plentiful side, which is usually at once.
 */
function solve(problem: AssignmentProblem, round: Round): { columnOf: Int32Array; violations: number[] } {
  const { rows, rowStart, column, value, seats } = problem
  const { seatCount, keepRow, keepColumn, maxPair, maxSeat } = round
  const columns = seats.length
  const pairs = rowStart[rows] as number
  const kept = keptPairs(problem, keepRow, keepColumn)

  let routedRows = 0
  for (let r = 0; r < rows; r++) if ((rowStart[r + 1] as number) > (rowStart[r] as number)) routedRows++
  let totalSeats = 0
  for (let c = 0; c < columns; c++) totalSeats += seatCount[c] as number
  const bySeat = totalSeats < routedRows
  const units = bySeat ? totalSeats : routedRows
  const big = (maxPair + maxSeat) * (units + 1) + 1

  // Nodes: rows, columns, (seats), unassigned, sink.
  const seatBase = rows + columns
  const unassigned = seatBase + (bySeat ? totalSeats : 0)
  const sink = unassigned + 1
  let keptCount = 0
  for (let p = 0; p < pairs; p++) keptCount += kept[p] as number
  const network = new Network(sink + 1, keptCount + 2 * units + totalSeats + routedRows + 1)
  const pairEdge = new Int32Array(pairs).fill(-1)
  const sources: number[] = []

  if (bySeat) {
    for (let r = 0; r < rows; r++) {
      for (let p = rowStart[r] as number; p < (rowStart[r + 1] as number); p++)
        if (kept[p])
          pairEdge[p] = network.addEdge(rows + (column[p] as number), r, 1, maxPair - (value[p] as number))
      if ((rowStart[r + 1] as number) > (rowStart[r] as number)) network.addEdge(r, sink, 1, 0)
    }
    let seatNode = seatBase
    for (let c = 0; c < columns; c++) {
      const list = seats[c] as ArrayLike<number>
      for (let k = 0; k < (seatCount[c] as number); k++) {
        network.addEdge(seatNode, rows + c, 1, maxSeat - (list[k] as number))
        network.addEdge(seatNode, unassigned, 1, big)
        sources.push(seatNode++)
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      if ((rowStart[r + 1] as number) === (rowStart[r] as number)) continue
      for (let p = rowStart[r] as number; p < (rowStart[r + 1] as number); p++)
        if (kept[p])
          pairEdge[p] = network.addEdge(r, rows + (column[p] as number), 1, maxPair - (value[p] as number))
      network.addEdge(r, unassigned, 1, big)
      sources.push(r)
    }
    for (let c = 0; c < columns; c++) {
      const list = seats[c] as ArrayLike<number>
      for (let k = 0; k < (seatCount[c] as number); k++)
        network.addEdge(rows + c, sink, 1, maxSeat - (list[k] as number))
    }
  }
  network.addEdge(unassigned, sink, units, 0)
  network.finish()
  for (const source of sources) network.route(source, sink)

  const columnOf = new Int32Array(rows).fill(-1)
  for (let r = 0; r < rows; r++) {
    for (let p = rowStart[r] as number; p < (rowStart[r + 1] as number); p++) {
      const e = pairEdge[p] as number
      if (e >= 0 && network.cap[e] === 0) columnOf[r] = column[p] as number
    }
  }

  // The certificate: every dropped pair must have a non-negative reduced cost.
  const potential = network.potential
  const violations: number[] = []
  for (let r = 0; r < rows; r++) {
    const pr = potential[r] as number
    for (let p = rowStart[r] as number; p < (rowStart[r + 1] as number); p++) {
      if (kept[p]) continue
      const pc = potential[rows + (column[p] as number)] as number
      const reduced = maxPair - (value[p] as number) + (bySeat ? pc - pr : pr - pc)
      if (reduced < 0) violations.push(p)
    }
  }
  return { columnOf, violations }
}

/** Pairs in a row's best `keepRow[r]` or a column's best `keepColumn[c]`, by value then index. */
function keptPairs(problem: AssignmentProblem, keepRow: Int32Array, keepColumn: Int32Array): Uint8Array {
  const { rows, rowStart, column, value, seats } = problem
  const pairs = rowStart[rows] as number
  const kept = new Uint8Array(pairs)
  const columnStart = new Int32Array(seats.length + 1)
  for (let p = 0; p < pairs; p++)
    columnStart[(column[p] as number) + 1] = (columnStart[(column[p] as number) + 1] as number) + 1
  for (let c = 0; c < seats.length; c++)
    columnStart[c + 1] = (columnStart[c + 1] as number) + (columnStart[c] as number)
  const byColumn = new Int32Array(pairs)
  const fill = columnStart.slice(0, seats.length)
  for (let p = 0; p < pairs; p++) {
    const c = column[p] as number
    byColumn[fill[c] as number] = p
    fill[c] = (fill[c] as number) + 1
  }
  let widest = 1
  for (const k of keepRow) widest = Math.max(widest, k)
  for (const k of keepColumn) widest = Math.max(widest, k)
  const chosen = new Int32Array(widest)
  // Keeps the best `k` of `list[start … end)` (pair indices) in `kept`.
  const keepBest = (list: Int32Array | undefined, start: number, end: number, k: number) => {
    if (end - start <= k) {
      for (let i = start; i < end; i++) kept[list ? (list[i] as number) : i] = 1
      return
    }
    let size = 0
    for (let i = start; i < end; i++) {
      const p = list ? (list[i] as number) : i
      if (size === k && !outranks(p, chosen[k - 1] as number)) continue
      let at = size < k ? size++ : k - 1
      while (at > 0 && outranks(p, chosen[at - 1] as number)) {
        chosen[at] = chosen[at - 1] as number
        at--
      }
      chosen[at] = p
    }
    for (let i = 0; i < k; i++) kept[chosen[i] as number] = 1
  }
  // Pair indices are ordered by row then column, so the smaller index settles ties either way.
  const outranks = (p: number, q: number) =>
    value[p] !== value[q] ? (value[p] as number) > (value[q] as number) : p < q
  for (let r = 0; r < rows; r++)
    keepBest(undefined, rowStart[r] as number, rowStart[r + 1] as number, keepRow[r] as number)
  for (let c = 0; c < seats.length; c++)
    keepBest(byColumn, columnStart[c] as number, columnStart[c + 1] as number, keepColumn[c] as number)
  return kept
}

/**
 * A residual network for routing unit supplies one at a time (edge 2i forward, 2i + 1 reverse),
 * with node potentials that keep every residual reduced cost non-negative.
 */
class Network {
  readonly from: Int32Array
  readonly to: Int32Array
  readonly cap: Int32Array
  readonly cost: Float64Array
  readonly potential: Float64Array
  private edges = 0
  private adjacencyStart: Int32Array
  private adjacency = new Int32Array(0)
  private readonly dist: Float64Array
  private readonly parent: Int32Array
  private readonly seen: Int32Array
  private readonly done: Int32Array
  private readonly settled: Int32Array
  private heap = new MinHeap(16)
  private stamp = 0

  constructor(
    readonly nodes: number,
    maxEdges: number,
  ) {
    this.from = new Int32Array(maxEdges * 2)
    this.to = new Int32Array(maxEdges * 2)
    this.cap = new Int32Array(maxEdges * 2)
    this.cost = new Float64Array(maxEdges * 2)
    this.potential = new Float64Array(nodes)
    this.adjacencyStart = new Int32Array(nodes + 1)
    this.dist = new Float64Array(nodes)
    this.parent = new Int32Array(nodes)
    this.seen = new Int32Array(nodes)
    this.done = new Int32Array(nodes)
    this.settled = new Int32Array(nodes)
  }

  /** Adds u → v and its reverse; returns the forward edge. Costs must be ≥ 0. */
  addEdge(u: number, v: number, capacity: number, cost: number): number {
    const e = this.edges
    this.from[e] = u
    this.to[e] = v
    this.cap[e] = capacity
    this.cost[e] = cost
    this.from[e + 1] = v
    this.to[e + 1] = u
    this.cost[e + 1] = -cost
    this.edges += 2
    return e
  }

  finish(): void {
    const { nodes, edges, from } = this
    const start = this.adjacencyStart
    for (let e = 0; e < edges; e++)
      start[(from[e] as number) + 1] = (start[(from[e] as number) + 1] as number) + 1
    for (let v = 0; v < nodes; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number)
    this.adjacency = new Int32Array(edges)
    const fill = start.slice(0, nodes)
    for (let e = 0; e < edges; e++) {
      const u = from[e] as number
      this.adjacency[fill[u] as number] = e
      fill[u] = (fill[u] as number) + 1
    }
    this.heap = new MinHeap(Math.max(16, nodes))
  }

  /**
   * Sends one unit from `source` (which nobody points to yet) to `sink` along a cheapest path:
   * Dijkstra on reduced costs, stopped when the sink is settled at distance D; settled nodes'
   * potentials move by dist − D, which keeps all reduced costs ≥ 0 (the Hungarian update).
   */
  route(source: number, sink: number): void {
    const { from, to, cap, cost, potential, dist, parent, seen, done, settled, adjacency } = this
    const start = this.adjacencyStart
    const heap = this.heap
    const stamp = ++this.stamp
    let lift = Number.NEGATIVE_INFINITY
    for (let i = start[source] as number; i < (start[source + 1] as number); i++) {
      const e = adjacency[i] as number
      if ((cap[e] as number) > 0)
        lift = Math.max(lift, (potential[to[e] as number] as number) - (cost[e] as number))
    }
    if (lift === Number.NEGATIVE_INFINITY) return
    potential[source] = lift

    heap.clear()
    seen[source] = stamp
    dist[source] = 0
    heap.push(0, source)
    let settledCount = 0
    while (heap.size > 0) {
      const d = heap.topKey()
      const u = heap.pop()
      if (done[u] === stamp) continue
      done[u] = stamp
      if (u === sink) break
      settled[settledCount++] = u
      const pu = potential[u] as number
      for (let i = start[u] as number; i < (start[u + 1] as number); i++) {
        const e = adjacency[i] as number
        if ((cap[e] as number) === 0) continue
        const v = to[e] as number
        if (done[v] === stamp) continue
        const nd = d + (cost[e] as number) + pu - (potential[v] as number)
        if (seen[v] !== stamp || nd < (dist[v] as number)) {
          seen[v] = stamp
          dist[v] = nd
          parent[v] = e
          heap.push(nd, v)
        }
      }
    }
    if (done[sink] !== stamp) throw new Error('Sink unreachable: the network is missing its bypass')
    const reach = dist[sink] as number
    for (let i = 0; i < settledCount; i++) {
      const u = settled[i] as number
      potential[u] = (potential[u] as number) + (dist[u] as number) - reach
    }
    for (let v = sink; v !== source; ) {
      const e = parent[v] as number
      cap[e] = (cap[e] as number) - 1
      cap[e ^ 1] = (cap[e ^ 1] as number) + 1
      v = from[e] as number
    }
  }
}

/** A binary min-heap of (key, node) with lazy deletion by the caller. */
class MinHeap {
  private keys: Float64Array
  private nodes: Int32Array
  size = 0

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity)
    this.nodes = new Int32Array(capacity)
  }

  clear(): void {
    this.size = 0
  }

  topKey(): number {
    return this.keys[0] as number
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      keys.set(this.keys)
      const nodes = new Int32Array(this.size * 2)
      nodes.set(this.nodes)
      this.keys = keys
      this.nodes = nodes
    }
    const keys = this.keys
    const nodes = this.nodes
    let i = this.size++
    while (i > 0) {
      const up = (i - 1) >> 1
      if ((keys[up] as number) <= key) break
      keys[i] = keys[up] as number
      nodes[i] = nodes[up] as number
      i = up
    }
    keys[i] = key
    nodes[i] = node
  }

  pop(): number {
    const keys = this.keys
    const nodes = this.nodes
    const top = nodes[0] as number
    const last = --this.size
    const key = keys[last] as number
    const node = nodes[last] as number
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= last) break
      if (child + 1 < last && (keys[child + 1] as number) < (keys[child] as number)) child++
      if ((keys[child] as number) >= key) break
      keys[i] = keys[child] as number
      nodes[i] = nodes[child] as number
      i = child
    }
    keys[i] = key
    nodes[i] = node
    return top
  }
}
